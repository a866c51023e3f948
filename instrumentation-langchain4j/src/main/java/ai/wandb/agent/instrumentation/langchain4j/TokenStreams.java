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
 * tool round trip) is tied to it too. The span ends in that handler's own {@code onCompleteResponse} and
 * {@code onError}, before they call the application's consumers, which are passed on untouched: no frame
 * of the agent is under them, whatever they throw or inspect.
 */
final class TokenStreams {
  private static final Map<Object, Span> STREAMS = Collections.synchronizedMap(new WeakHashMap<Object, Span>());
  private static final Map<Object, Span> HANDLERS = Collections.synchronizedMap(new WeakHashMap<Object, Span>());

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
    return span == null || span.isEnded() ? null : new Scope(Tracer.attach(span), 0);
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
        call.endsOnCompletion = consumer != null;
      }
    }
  }

  /** A response handler built while a streaming service span is current (in start() or a tool round). */
  static void handlerCreated(Object handler) {
    Span current = Tracer.current();
    if (current != null && current.request() instanceof Calls.AiService
        && ((Calls.AiService) current.request()).streaming) {
      ((Calls.AiService) current.request()).handlers++;
      HANDLERS.put(handler, current);
    }
  }

  /**
   * The model's complete response reached the handler. Without tool calls it is the stream's last: the
   * span ends now, before the handler calls the application. A tool round runs with the span current;
   * what ends it is decided when the round returns ({@link #completed}).
   */
  static Scope completing(Object handler, Object response) {
    Span span = HANDLERS.get(handler);
    if (span == null || span.isEnded()) {
      return null;
    }
    Calls.AiService call = (Calls.AiService) span.request();
    Object toolRequests = Reflect.call(Reflect.call(response, "aiMessage"), "toolExecutionRequests");
    if (!(toolRequests instanceof List) || ((List<?>) toolRequests).isEmpty()) {
      if (call.endsOnCompletion) {
        Tracer.end(span, response, null);
      }
      return null;
    }
    Scope scope = new Scope(Tracer.attach(span), call.handlers);
    scope.span = span;
    scope.response = response;
    return scope;
  }

  /**
   * A tool round returned. If it built no handler for a next round, the stream ended in it (a tool
   * whose result is returned immediately, 1.4+) or failed; the span ends with that round's outcome.
   */
  static void completed(Scope scope, Throwable thrown) {
    if (scope == null) {
      return;
    }
    Tracer.restore(scope.previous);
    Calls.AiService call = (Calls.AiService) scope.span.request();
    if (call.handlers == scope.handlers) {
      if (thrown != null && call.endsOnError) {
        Tracer.end(scope.span, null, thrown);
      } else if (thrown == null && call.endsOnCompletion) {
        Tracer.end(scope.span, scope.response, null);
      }
    }
  }

  /** The stream failed: the span ends before the handler calls the application's error consumer. */
  static void failing(Object handler, Object error) {
    Span span = HANDLERS.get(handler);
    if (span != null && ((Calls.AiService) span.request()).endsOnError) {
      Tracer.end(span, null, error instanceof Throwable ? (Throwable) error : null);
    }
  }

  /** What to restore after a hooked method, and for a tool round what to end the span with. */
  static final class Scope {
    final Span previous;
    final int handlers;
    Span span;
    Object response;

    Scope(Span previous, int handlers) {
      this.previous = previous;
      this.handlers = handlers;
    }
  }
}
