package ai.wandb.agent.api.instrumentation;

import java.util.function.ObjIntConsumer;

/**
 * What a module hears of a Reactor {@code Flux} or {@code Mono} it observes with {@link #observed}: each
 * signal before it goes on, from a subscriber that leaves no frame in the app's stack traces (a hidden class
 * in Reactor's package, see {@link HiddenObservers}); an exception of a callback here is dropped, so it
 * never reaches the stream. Where that subscriber cannot be defined (Java 8 to 14, or Reactor in a named
 * module that does not open its package), {@link #observed} says so and the module observes with Reactor's
 * peek operators instead.
 */
public abstract class ReactorSignals implements ObjIntConsumer<Object> {
  static final int SUBSCRIBE = 0;
  static final int NEXT = 1;
  static final int ERROR = 2;
  static final int COMPLETE = 3;
  static final int CANCEL = 4;

  /**
   * {@code publisher} (a Reactor Flux or Mono) as a Flux or Mono of the same items that reports its signals
   * here, or null where that cannot be built (not a Reactor Flux or Mono, or no hidden classes).
   */
  public final Object observed(Object publisher) {
    for (Class<?> type = publisher == null ? null : publisher.getClass(); type != null; type = type.getSuperclass()) {
      String name = type.getName();
      if (name.equals("reactor.core.publisher.Flux") || name.equals("reactor.core.publisher.Mono")) {
        return HiddenObservers.observed(type, publisher, this);
      }
    }
    return null;
  }

  /** Called by the hidden subscriber; public only as {@link ObjIntConsumer}'s. */
  @Override
  public final void accept(Object value, int signal) {
    try {
      switch (signal) {
        case SUBSCRIBE:
          onSubscribe();
          break;
        case NEXT:
          onNext(value);
          break;
        case ERROR:
          onError((Throwable) value);
          break;
        case COMPLETE:
          onComplete();
          break;
        default:
          onCancel();
      }
    } catch (Throwable ignored) {
      // The agent's failure must not become the stream's: the signal goes on as it came.
    }
  }

  /** The subscriber is about to get its subscription. Each callback does nothing unless overridden. */
  protected void onSubscribe() {}

  protected void onNext(Object item) {}

  protected void onError(Throwable error) {}

  protected void onComplete() {}

  /** The subscriber cancelled; the cancel goes up after this. */
  protected void onCancel() {}
}
