package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.ScopedDefer;
import java.lang.reflect.Method;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A span whose call returned a {@code Flux}: the span ends when the Flux completes, fails or is
 * cancelled, and keeps what it emitted; and the work Reactor does when the app subscribes (Spring AI
 * builds its advisor chain, calls the model and opens the HTTP stream then, often after the call
 * returned) runs with the span current. Built from Reactor's own operators, called by reflection
 * ({@code doOnNext}, {@code doOnError}, {@code doOnTerminate}, {@code doOnCancel}, {@code Flux.defer})
 * with JDK functional types, so no class is defined in the app's loader; the Flux emits what it emitted
 * before.
 */
final class FluxScope {
  private static final String FLUX = "reactor.core.publisher.Flux";

  private FluxScope() {}

  /** The Flux methods used, found once per Flux class; null where the class is no Reactor Flux of a known shape. */
  private static final ClassValue<Method[]> OPERATORS = new ClassValue<Method[]>() {
    @Override
    protected Method[] computeValue(Class<?> type) {
      Class<?> flux = type;
      while (flux != null && !flux.getName().equals(FLUX)) {
        flux = flux.getSuperclass();
      }
      if (flux == null) {
        return null;
      }
      try {
        return new Method[] {
            flux.getMethod("doOnNext", Consumer.class),
            flux.getMethod("doOnError", Consumer.class),
            flux.getMethod("doOnTerminate", Runnable.class),
            flux.getMethod("doOnCancel", Runnable.class),
            flux.getMethod("defer", Supplier.class)};
      } catch (Exception e) {
        return null;
      }
    }
  };

  /**
   * Returns the Flux the app gets instead of {@code flux}: the same items, with the span (and
   * {@code enclosing}, when not null: a direct call's span around its round trips) ending on
   * termination and current while the app subscribes. Where that cannot be built they end now.
   */
  static Object observe(Object flux, Span span, Calls.Stream stream, Span enclosing) {
    Method[] ops = flux == null ? null : OPERATORS.get(flux.getClass());
    Observer observer = new Observer(span, stream, enclosing);
    if (ops == null) {
      observer.onEnd.run();
      return flux;
    }
    try {
      Object observed = ops[0].invoke(flux, observer);
      observed = ops[1].invoke(observed, observer.onError);
      observed = ops[2].invoke(observed, observer.onEnd);
      observed = ops[3].invoke(observed, observer.onEnd);
      return ops[4].invoke(null, new ScopedDefer(span, observed));
    } catch (Exception e) {
      observer.onEnd.run();
      return flux;
    }
  }

  /**
   * A provider's raw chunk stream inside a streamed round trip: its first chunk is the round trip's first
   * token, even where Spring AI 1.x merges the chunks into one tool-call response that it never emits.
   * Returns {@code flux} itself where it is no Reactor Flux.
   */
  static Object markingFirstToken(Object flux, final Span span) {
    Method[] ops = flux == null ? null : OPERATORS.get(flux.getClass());
    if (ops == null) {
      return flux;
    }
    try {
      return ops[0].invoke(flux, new Consumer<Object>() {
        @Override
        public void accept(Object chunk) {
          span.markFirstToken();
        }
      });
    } catch (Exception e) {
      return flux;
    }
  }

  /**
   * What the span keeps of the stream, and its end: on complete or error before the signal goes on
   * (so a span inside ends before the one around it), or on cancel (the app stopped reading).
   */
  static final class Observer implements Consumer<Object> {
    private final Span span;
    private final Calls.Stream stream;
    private final Span enclosing;
    private volatile Throwable error;
    final Consumer<Object> onError = new Consumer<Object>() {
      @Override
      public void accept(Object thrown) {
        if (thrown instanceof Throwable) {
          error = (Throwable) thrown;
        }
      }
    };
    final Runnable onEnd = new Runnable() {
      @Override
      public void run() {
        // Complete and cancel end as OK with what was streamed; an error as ERROR.
        Tracer.end(span, null, error);
        Tracer.end(enclosing, null, error);
      }
    };

    Observer(Span span, Calls.Stream stream, Span enclosing) {
      this.span = span;
      this.stream = stream;
      this.enclosing = enclosing;
    }

    @Override
    public void accept(Object item) {
      boolean ended = span.isEnded();
      if (!ended) {
        span.markFirstToken();
      }
      stream.add(item, ended);
    }
  }
}
