package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.instrumentation.ReactorSignals;
import java.lang.reflect.Method;
import java.util.function.Consumer;

/**
 * Follows a Reactor {@code Mono} from subscription to its end: with a hidden subscriber
 * ({@link ReactorSignals}) where the JVM has hidden classes, else with Reactor's own side-effect operators
 * ({@code doOnSubscribe}, {@code doOnSuccess}, {@code doOnError}, {@code doOnCancel}), found by reflection
 * on the application's Reactor. The callbacks are leaves (they record and return, and never throw), so
 * every signal, value and exception reaches the application as it would without them, and no frame of the
 * agent is under the application's code.
 */
final class Monos {
  private static final ClassValue<Operators> OPERATORS = new ClassValue<Operators>() {
    @Override
    protected Operators computeValue(Class<?> type) {
      return Operators.of(type);
    }
  };

  private Monos() {}

  /**
   * The Mono that reports to {@code call}, or null when {@code mono} is not a Reactor Mono: a hidden
   * subscriber's (no frame under the subscriber of the Mono, Java 15+), else Reactor's operators' (their
   * {@code MonoPeek*}/{@code FluxPeekFuseable} frames there, where no hidden class can be defined in
   * Reactor's package).
   */
  static Object observed(Object mono, MonoObserver call) throws Exception {
    Object hidden = new Hidden(call).observed(mono);
    if (hidden != null) {
      return hidden;
    }
    Class<?> monoType = monoClass(mono == null ? null : mono.getClass());
    Operators operators = monoType == null ? null : OPERATORS.get(monoType);
    if (operators == null) {
      return null;
    }
    Object out = operators.doOnSubscribe.invoke(mono, new Signal(call, Signal.SUBSCRIBE));
    out = operators.doOnSuccess.invoke(out, new Signal(call, Signal.SUCCESS));
    out = operators.doOnError.invoke(out, new Signal(call, Signal.ERROR));
    return operators.doOnCancel.invoke(out, new Signal(call, Signal.CANCEL));
  }

  private static Class<?> monoClass(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals("reactor.core.publisher.Mono")) {
        return c;
      }
    }
    return null;
  }

  private static final class Operators {
    final Method doOnSubscribe;
    final Method doOnSuccess;
    final Method doOnError;
    final Method doOnCancel;

    private Operators(Method doOnSubscribe, Method doOnSuccess, Method doOnError, Method doOnCancel) {
      this.doOnSubscribe = doOnSubscribe;
      this.doOnSuccess = doOnSuccess;
      this.doOnError = doOnError;
      this.doOnCancel = doOnCancel;
    }

    static Operators of(Class<?> mono) {
      try {
        return new Operators(mono.getMethod("doOnSubscribe", Consumer.class), mono.getMethod("doOnSuccess", Consumer.class),
            mono.getMethod("doOnError", Consumer.class), mono.getMethod("doOnCancel", Runnable.class));
      } catch (NoSuchMethodException e) {
        return null;
      }
    }
  }

  /**
   * The hidden subscriber's callbacks, as Reactor's operators call them: a value or an empty completion
   * succeeds ({@code doOnSuccess}; after a value the completion finds the call ended already).
   */
  private static final class Hidden extends ReactorSignals {
    private final MonoObserver call;

    Hidden(MonoObserver call) {
      this.call = call;
    }

    @Override
    protected void onSubscribe() {
      call.subscribed();
    }

    @Override
    protected void onNext(Object value) {
      call.succeeded(value);
    }

    @Override
    protected void onError(Throwable error) {
      call.failed(error);
    }

    @Override
    protected void onComplete() {
      call.succeeded(null);
    }

    @Override
    protected void onCancel() {
      call.cancelled();
    }
  }

  /** One callback; what it reports is its kind. */
  static final class Signal implements Consumer<Object>, Runnable {
    static final int SUBSCRIBE = 0;
    static final int SUCCESS = 1;
    static final int ERROR = 2;
    static final int CANCEL = 3;

    private final MonoObserver call;
    private final int kind;

    Signal(MonoObserver call, int kind) {
      this.call = call;
      this.kind = kind;
    }

    @Override
    public void accept(Object value) {
      try {
        if (kind == SUBSCRIBE) {
          call.subscribed();
        } else if (kind == SUCCESS) {
          call.succeeded(value);
        } else if (kind == ERROR) {
          call.failed((Throwable) value);
        }
      } catch (Throwable ignored) {
        // Reactor would turn a callback's exception into the application's error: the agent's never gets there.
      }
    }

    @Override
    public void run() {
      try {
        call.cancelled();
      } catch (Throwable ignored) {
        // as above
      }
    }
  }
}
