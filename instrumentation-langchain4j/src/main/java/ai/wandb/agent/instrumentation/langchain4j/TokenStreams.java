package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * An AI service that returns a {@code TokenStream} (or a {@code Flux}, which LangChain4j builds on
 * one) ends its span when the stream completes or fails, not when the method returns. The stream is
 * created inside the service call, so it is tied to the span current then; starting the stream
 * re-enters that span; the completion and error consumers end it.
 */
final class TokenStreams {
  private static final Map<Object, Span> SPANS = Collections.synchronizedMap(new WeakHashMap<Object, Span>());

  private TokenStreams() {}

  static void created(Object tokenStream) {
    Span current = Tracer.current();
    if (current != null && current.request() instanceof Calls.AiService) {
      ((Calls.AiService) current.request()).streaming = true;
      SPANS.put(tokenStream, current);
    }
  }

  /** Makes the service span current while {@code start()} runs; returns what to restore, or null. */
  static Scope starting(Object tokenStream) {
    Span span = SPANS.get(tokenStream);
    return span == null || span.isEnded() ? null : new Scope(Tracer.attach(span));
  }

  static void started(Scope scope) {
    if (scope != null) {
      Tracer.restore(scope.previous);
    }
  }

  /** The consumer to register instead of the application's completion consumer. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object onComplete(Object tokenStream, Object consumer) {
    Span span = SPANS.get(tokenStream);
    return span == null || !(consumer instanceof Consumer) ? consumer : new Ending(span, (Consumer) consumer, false);
  }

  /** The consumer to register instead of the application's error consumer. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object onError(Object tokenStream, Object consumer) {
    Span span = SPANS.get(tokenStream);
    return span == null || !(consumer instanceof Consumer) ? consumer : new Ending(span, (Consumer) consumer, true);
  }

  /** What {@link #starting} replaced. */
  static final class Scope {
    final Span previous;

    Scope(Span previous) {
      this.previous = previous;
    }
  }

  static final class Ending implements Consumer<Object> {
    private final Span span;
    private final Consumer<Object> delegate;
    private final boolean error;

    Ending(Span span, Consumer<Object> delegate, boolean error) {
      this.span = span;
      this.delegate = delegate;
      this.error = error;
    }

    @Override
    public void accept(Object value) {
      if (error) {
        Tracer.end(span, null, value instanceof Throwable ? (Throwable) value : null);
      } else {
        Tracer.end(span, value, null);
      }
      delegate.accept(value);
    }
  }
}
