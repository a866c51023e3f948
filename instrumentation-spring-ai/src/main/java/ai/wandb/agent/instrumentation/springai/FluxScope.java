package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.FollowedDefers;
import ai.wandb.agent.api.instrumentation.ReactorSignals;
import ai.wandb.agent.api.instrumentation.ScopedDefer;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.lang.reflect.Method;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * A span whose call returned a {@code Flux}: the span ends when the Flux completes, fails or is
 * cancelled, and keeps what it emitted; and the work Reactor does when the app subscribes (Spring AI
 * builds its advisor chain, calls the model and opens the HTTP stream then, often after the call
 * returned) runs with the span current. The span hears the stream from a subscriber defined as a hidden
 * class in Reactor's package ({@link ReactorSignals}), which leaves no frame under the app's subscriber;
 * where none can be defined there (Reactor in a named module that does not open its package), from Reactor's own peek operator with all four callbacks
 * ({@code Flux.doOnSignal}, what {@code doOnNext} and the others build one each; where it cannot be
 * reached, those four), one {@code FluxPeek} frame per observed layer. Either way {@code Flux.defer} where
 * the library's own defer cannot be followed; the Flux emits what it emitted before.
 *
 * <p>Where the call returned the library's own {@code Flux.deferContextual} (every Spring AI model's
 * {@code stream} does), the app keeps that object: the same operators go inside it instead, on the Flux
 * its function returns when the app subscribes ({@code FluxDeferContextual.subscribe} is woven around
 * that call), so the class and {@code toString()} of what the app got are the library's.
 */
final class FluxScope {
  private static final String FLUX = "reactor.core.publisher.Flux";
  static final String DEFER_CONTEXTUAL = "reactor.core.publisher.FluxDeferContextual";
  private static final String DEFER_FACTORY = "contextualPublisherFactory";

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
            flux.getMethod("doOnComplete", Runnable.class),
            flux.getMethod("doOnCancel", Runnable.class),
            flux.getMethod("defer", Supplier.class),
            signalPeek(flux)};
      } catch (Exception e) {
        return null;
      }
    }
  };

  /**
   * {@code Flux.doOnSignal}, the package-private factory of Reactor's peek operator: one operator (one
   * frame under the app's {@code onNext}) instead of four. Null where it is absent or not accessible
   * (Reactor in a named module that does not open its package).
   */
  private static Method signalPeek(Class<?> flux) {
    try {
      Method method = flux.getDeclaredMethod("doOnSignal", flux, Consumer.class, Consumer.class, Consumer.class,
          Runnable.class, Runnable.class, LongConsumer.class, Runnable.class);
      method.setAccessible(true);
      return method;
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Returns the Flux the app gets for {@code flux}: the same items, with the span (and {@code enclosing},
   * when not null: a direct call's span around its round trips) ending on termination and current while
   * the app subscribes. That is {@code flux} itself where it is the library's own deferContextual (observed
   * when subscribed), else {@code flux} observed inside a {@code Flux.defer}. Where neither can be built
   * they end now.
   */
  static Object observe(Object flux, Span span, Calls.Stream stream, Span enclosing) {
    Method[] ops = flux == null ? null : OPERATORS.get(flux.getClass());
    Observer observer = new Observer(span, stream, enclosing);
    if (ops == null) {
      observer.end.run();
      return flux;
    }
    if (FollowedDefers.follow(flux, observer)) {
      return flux;
    }
    try {
      return ops[4].invoke(null, new ScopedDefer(span, observing(flux, ops, observer)));
    } catch (Exception e) {
      observer.end.run();
      return flux;
    }
  }

  /**
   * A ChatClient stream method's Flux ({@code content()}, {@code chatResponse()},
   * {@code chatClientResponse()}): Spring AI builds it as map and filter steps over a deferContextual of its
   * own, which the span observes, so the app keeps the library's Flux. The span then keeps the
   * ChatClientResponses; its renderer takes from them what the method emits ({@link Renderers#asEmitted}).
   */
  static Object observeChatClient(Object flux, Span span, Calls.Stream stream, boolean content) {
    Object own = ownDeferUnder(flux);
    if (own != null && FollowedDefers.follow(own, new Observer(span, stream, null, content))) {
      return flux;
    }
    return observe(flux, span, stream, null);
  }

  /** Reactor's {@code Scannable.scanUnsafe} and {@code Scannable.Attr.PARENT}, per Flux class; null where it has none. */
  private static final ClassValue<Object[]> PARENT = new ClassValue<Object[]>() {
    @Override
    protected Object[] computeValue(Class<?> type) {
      try {
        Class<?> scannable = Class.forName("reactor.core.Scannable", false, type.getClassLoader());
        Class<?> attr = Class.forName("reactor.core.Scannable$Attr", false, type.getClassLoader());
        if (!scannable.isAssignableFrom(type)) {
          return null;
        }
        return new Object[] {scannable.getMethod("scanUnsafe", attr), attr.getField("PARENT").get(null)};
      } catch (Exception e) {
        return null;
      }
    }
  };

  /** The deferContextual {@code flux} is built on, a few operator steps up at most; null if there is none. */
  static Object ownDeferUnder(Object flux) {
    Object current = flux;
    for (int step = 0; current != null && step < 4; step++) {
      if (current.getClass().getName().equals(DEFER_CONTEXTUAL)) {
        return current;
      }
      Object[] scan = PARENT.get(current.getClass());
      if (scan == null) {
        return null;
      }
      try {
        current = ((Method) scan[0]).invoke(current, scan[1]);
      } catch (Exception e) {
        return null;
      }
    }
    return null;
  }

  /**
   * {@code flux} observed: by a hidden subscriber (no frame under the app's subscriber, Java 15+), else by
   * Reactor's peek operator (one {@code FluxPeek} frame per observed layer).
   */
  private static Object observing(Object flux, Method[] ops, Observer observer) throws Exception {
    Object hidden = observer.observed(flux);
    if (hidden != null) {
      return hidden;
    }
    if (ops[5] != null) {
      return ops[5].invoke(null, flux, null, observer, observer.errorEnd, observer.end, null, null, observer.end);
    }
    Object observed = ops[0].invoke(flux, observer);
    observed = ops[1].invoke(observed, observer.errorEnd);
    observed = ops[2].invoke(observed, observer.end);
    return ops[3].invoke(observed, observer.end);
  }

  /**
   * {@code FluxDeferContextual.subscribe(CoreSubscriber)}: for a registered defer, its span is current while
   * the subscription is set up (the library builds and opens its stream then), and the Flux its function
   * returns gets the observer's operators ({@link Observer#made}); any other defer passes untouched.
   */
  static TypeInstrumentation ownDefer() {
    return FollowedDefers.subscribe(DEFER_CONTEXTUAL, DEFER_FACTORY);
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
    Object hidden = new ReactorSignals() {
      @Override
      protected void onNext(Object chunk) {
        span.markFirstToken();
      }
    }.observed(flux);
    if (hidden != null) {
      return hidden;
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
   * (so a span inside ends before the one around it), or on cancel (the app stopped reading). Following
   * the library's own deferContextual, it gives the Flux made for each subscription its operators.
   */
  static final class Observer extends ReactorSignals implements Consumer<Object>, FollowedDefers.Follower {
    private final Span span;
    private final Calls.Stream stream;
    private final Span enclosing;
    /** Items are ChatClientResponses under content(): the first token is the first with text, as content() emits. */
    private final boolean content;
    private volatile boolean firstToken;
    private volatile Throwable error;
    final Consumer<Object> errorEnd = new Consumer<Object>() {
      @Override
      public void accept(Object thrown) {
        if (thrown instanceof Throwable) {
          error = (Throwable) thrown;
        }
        end.run();
      }
    };
    final Runnable end = new Runnable() {
      @Override
      public void run() {
        // Complete and cancel end as OK with what was streamed; an error as ERROR.
        Tracer.end(span, null, error);
        Tracer.end(enclosing, null, error);
      }
    };

    Observer(Span span, Calls.Stream stream, Span enclosing) {
      this(span, stream, enclosing, false);
    }

    Observer(Span span, Calls.Stream stream, Span enclosing, boolean content) {
      this.span = span;
      this.stream = stream;
      this.enclosing = enclosing;
      this.content = content;
    }

    @Override
    public void accept(Object item) {
      boolean ended = span.isEnded();
      if (!ended && !firstToken && (!content || Renderers.contentText(item) != null)) {
        firstToken = true;
        span.markFirstToken();
      }
      stream.add(item, ended);
    }

    @Override
    public Span span() {
      return span;
    }

    @Override
    public Object made(Object flux) {
      Method[] ops = flux == null ? null : OPERATORS.get(flux.getClass());
      try {
        if (ops != null) {
          return observing(flux, ops, this);
        }
      } catch (Exception e) {
        // Ends below: unobserved, the span would never end.
      }
      end.run();
      return flux;
    }

    @Override
    public void failed(Throwable thrown) {
      errorEnd.accept(thrown);
    }

    @Override
    protected void onNext(Object item) {
      accept(item);
    }

    @Override
    protected void onError(Throwable thrown) {
      errorEnd.accept(thrown);
    }

    @Override
    protected void onComplete() {
      end.run();
    }

    @Override
    protected void onCancel() {
      end.run();
    }
  }
}
