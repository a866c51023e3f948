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
 * under them, whatever they throw or inspect. From 1.6 that moment is the handler's
 * {@code fireInvocationComplete}, after output guardrails and the partial responses they held back, and
 * also where a tool whose result is returned immediately completes the stream; a guardrail that fails
 * makes {@code onCompleteResponse} throw, which ends the span as an error. Before 1.6 the span ends when
 * the model's last response reaches the handler, or (immediate tools, 1.4 and 1.5) when the tool round
 * returns.
 */
final class TokenStreams {
  private static final Map<Object, Span> STREAMS = Collections.synchronizedMap(new WeakHashMap<Object, Span>());
  private static final Map<Object, Span> HANDLERS = Collections.synchronizedMap(new WeakHashMap<Object, Span>());
  /** Whether a handler class tells its completion by {@code fireInvocationComplete} (1.6+), looked up once. */
  private static final ClassValue<Boolean> FIRES_COMPLETION = new ClassValue<Boolean>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        type.getDeclaredMethod("fireInvocationComplete", Object.class);
        return Boolean.TRUE;
      } catch (NoSuchMethodException e) {
        return Boolean.FALSE;
      }
    }
  };

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
    return span == null || span.isEnded() ? null : new Scope(Tracer.attach(span), 0, true);
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
   * span ends now, before the handler calls the application, or (1.6+) when the handler fires its
   * completion, after what runs in between (output guardrails). A tool round runs with the span current;
   * what ends it is decided when the round returns ({@link #completed}) or (1.6+) where the handler fires
   * its completion (a tool whose result is returned immediately).
   */
  static Scope completing(Object handler, Object response) {
    Span span = HANDLERS.get(handler);
    if (span == null || span.isEnded()) {
      return null;
    }
    Calls.AiService call = (Calls.AiService) span.request();
    Object toolRequests = Reflect.call(Reflect.call(response, "aiMessage"), "toolExecutionRequests");
    boolean toolRound = toolRequests instanceof List && !((List<?>) toolRequests).isEmpty();
    boolean firesCompletion = FIRES_COMPLETION.get(handler.getClass());
    if (!toolRound && !firesCompletion) {
      if (call.endsOnCompletion) {
        Tracer.end(span, response, null);
      }
      return null;
    }
    Scope scope = toolRound ? new Scope(Tracer.attach(span), call.handlers, true) : new Scope(null, -1, false);
    scope.span = span;
    scope.response = response;
    return scope;
  }

  /** The handler fires its completion (1.6+) with the result the application's consumer gets next. */
  static void completionFired(Object handler, Object result) {
    Span span = HANDLERS.get(handler);
    if (span != null && ((Calls.AiService) span.request()).endsOnCompletion) {
      Tracer.end(span, result, null);
    }
  }

  /**
   * {@code onCompleteResponse} returned or threw. What it threw (a failing output guardrail, a tool round
   * that failed) is the stream's failure. A tool round that built no handler for a next round ended the
   * stream (a tool whose result is returned immediately, before 1.6).
   */
  static void completed(Scope scope, Throwable thrown) {
    if (scope == null) {
      return;
    }
    if (scope.attached) {
      Tracer.restore(scope.previous);
    }
    Calls.AiService call = (Calls.AiService) scope.span.request();
    if (thrown != null) {
      if (call.endsOnError) {
        Tracer.end(scope.span, null, thrown);
      }
    } else if ((!scope.attached || call.handlers == scope.handlers) && call.endsOnCompletion) {
      Tracer.end(scope.span, scope.response, null);
    }
  }

  /** The stream failed: the span ends before the handler calls the application's error consumer. */
  static void failing(Object handler, Object error) {
    Span span = HANDLERS.get(handler);
    if (span != null && ((Calls.AiService) span.request()).endsOnError) {
      Tracer.end(span, null, error instanceof Throwable ? (Throwable) error : null);
    }
  }

  /** What to restore after a hooked method, and for a completion what to end the span with. */
  static final class Scope {
    final Span previous;
    final int handlers;
    /** The span was made current (start(), a tool round): {@link #previous} is restored. */
    final boolean attached;
    Span span;
    Object response;

    Scope(Span previous, int handlers, boolean attached) {
      this.previous = previous;
      this.handlers = handlers;
      this.attached = attached;
    }
  }
}
