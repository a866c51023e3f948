package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * An AI service that returns a {@code TokenStream} (or a {@code Flux}, which LangChain4j builds on
 * one) ends its span when the stream completes or fails, not when the method returns. The stream is
 * created inside the service call, so it is tied to the span current then; starting the stream
 * re-enters that span, and the {@code AiServiceStreamingResponseHandler} built there (and one more per
 * tool round trip) is tied to it too. The span ends in that handler's own methods, just before they call
 * the application's completion or error consumer, which are passed on untouched: no frame of the agent is
 * under them, whatever they throw or inspect. Completion is the call of the application's own completion
 * consumer inside the handler's {@code onCompleteResponse}, woven in place (1.0.0 to 1.19.x alike): after
 * output guardrails and the partial responses they held back, and also where a tool whose result is
 * returned immediately completes the stream; a guardrail that fails makes {@code onCompleteResponse}
 * throw, which ends the span as an error.
 */
final class TokenStreams {
  private static final Map<Object, Span> STREAMS = Collections.synchronizedMap(new WeakHashMap<Object, Span>());
  private static final Map<Object, Span> HANDLERS = Collections.synchronizedMap(new WeakHashMap<Object, Span>());
  /**
   * The handler's {@code onCompleteResponse} running on this thread, innermost first: a tool round may
   * run the next round's handler inside it (a model that answers on the calling thread).
   */
  private static final ThreadLocal<Scope> COMPLETING = new ThreadLocal<Scope>();

  private TokenStreams() {}

  static void created(Object tokenStream) {
    Span current = Tracer.current();
    if (current != null && current.request() instanceof Calls.AiService) {
      ((Calls.AiService) current.request()).streaming = true;
      STREAMS.put(tokenStream, current);
    }
  }

  /** Makes the service span current while {@code start()} runs; returns what to restore, or null. */
  static Scope starting(Object tokenStream) {
    Span span = STREAMS.get(tokenStream);
    return span == null || span.isEnded() ? null : new Scope(span, Tracer.attach(span), true, null);
  }

  static void started(Scope scope) {
    if (scope != null) {
      Tracer.restore(scope.previous);
    }
  }

  /**
   * The application set a completion or error consumer: only then does that outcome end the span, so a
   * stream whose application listens to neither stays open (and is reported unfinished at exit).
   */
  static void consumerSet(Object tokenStream, Object consumer, boolean error) {
    Span span = STREAMS.get(tokenStream);
    if (span != null) {
      Calls.AiService call = (Calls.AiService) span.request();
      if (error) {
        call.endsOnError = consumer != null;
      } else {
        call.completion = consumer;
      }
    }
  }

  /** A response handler built while a streaming service span is current (in start() or a tool round). */
  static void handlerCreated(Object handler) {
    Span current = Tracer.current();
    if (current != null && current.request() instanceof Calls.AiService
        && ((Calls.AiService) current.request()).streaming) {
      HANDLERS.put(handler, current);
    }
  }

  /**
   * The model's complete response reached the handler: the span ends inside, where the handler calls the
   * application's completion consumer ({@link #consumerCalled}), or as an error if the method throws. A
   * tool round (the response asks for tools) runs with the span current.
   */
  static Scope completing(Object handler, Object response) {
    Span span = HANDLERS.get(handler);
    if (span == null || span.isEnded()) {
      return null;
    }
    Object toolRequests = Reflect.call(Reflect.call(response, "aiMessage"), "toolExecutionRequests");
    boolean toolRound = toolRequests instanceof List && !((List<?>) toolRequests).isEmpty();
    Scope scope = new Scope(span, toolRound ? Tracer.attach(span) : null, toolRound, COMPLETING.get());
    COMPLETING.set(scope);
    return scope;
  }

  /**
   * {@code onCompleteResponse} calls a {@code Consumer}: when it is the application's completion consumer,
   * the stream is complete, with what the consumer gets.
   */
  static void consumerCalled(Object consumer, Object result) {
    Scope scope = COMPLETING.get();
    if (scope != null && consumer != null && ((Calls.AiService) scope.span.request()).completion == consumer) {
      Tracer.end(scope.span, result, null);
    }
  }

  /**
   * {@code onCompleteResponse} returned or threw. What it threw (a failing output guardrail, a tool round
   * that failed) is the stream's failure, unless the stream had completed already (the application's
   * completion consumer threw).
   */
  static void completed(Scope scope, Throwable thrown) {
    if (scope == null) {
      return;
    }
    if (scope.outer == null) {
      COMPLETING.remove();
    } else {
      COMPLETING.set(scope.outer);
    }
    if (scope.attached) {
      Tracer.restore(scope.previous);
    }
    if (thrown != null && ((Calls.AiService) scope.span.request()).endsOnError) {
      Tracer.end(scope.span, null, thrown);
    }
  }

  /** The stream failed: the span ends before the handler calls the application's error consumer. */
  static void failing(Object handler, Object error) {
    Span span = HANDLERS.get(handler);
    if (span != null && ((Calls.AiService) span.request()).endsOnError) {
      Tracer.end(span, null, error instanceof Throwable ? (Throwable) error : null);
    }
  }

  /** A hooked {@code start()} or {@code onCompleteResponse}: its span, and what to restore after it. */
  static final class Scope {
    final Span span;
    final Span previous;
    /** The span was made current (a tool round): {@link #previous} is restored. */
    final boolean attached;
    final Scope outer;

    Scope(Span span, Span previous, boolean attached, Scope outer) {
      this.span = span;
      this.previous = previous;
      this.attached = attached;
      this.outer = outer;
    }
  }
}
