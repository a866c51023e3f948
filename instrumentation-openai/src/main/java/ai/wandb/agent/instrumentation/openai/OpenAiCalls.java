package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/** What the service advice does on the app thread: start the span, then hand its end to what the call returns. */
final class OpenAiCalls {
  private OpenAiCalls() {}

  /**
   * The params to send: the app's own, or for a chat or legacy completion stream a copy that also asks
   * for usage (see {@link StreamUsage}).
   */
  static Object withStreamUsage(String type, String method, Object params, Object clientOptions) {
    OpenAiOperation operation = OpenAiOperation.of(type, method);
    if (operation == null || !operation.streaming || (operation.family != OpenAiOperation.Family.CHAT
        && operation.family != OpenAiOperation.Family.COMPLETIONS)) {
      return params;
    }
    return StreamUsage.requested(params, clientOptions);
  }

  /**
   * Starts the call's span, current while the SDK works. Returns {@code null} (no span) when this very
   * call is already traced one layer up, so that layers calling each other never give two spans.
   */
  static Span start(String type, String method, Object params, Object clientOptions, boolean usageAdded) {
    OpenAiOperation operation = OpenAiOperation.of(type, method);
    if (operation == null) {
      return null;
    }
    Span current = Tracer.current();
    if (current != null && !current.isEnded() && current.request() instanceof OpenAiRequest
        && ((OpenAiRequest) current.request()).params == params) {
      return null;
    }
    return Tracer.start(operation.spanName, operation.kind,
        new OpenAiRequest(operation, params, clientOptions, usageAdded), OpenAiRenderer.INSTANCE);
  }

  /** Blocking call returned {@code HttpResponseFor} (or threw): the app gets it unchanged, now watched. */
  static Object returned(Span span, Object response, Throwable thrown) {
    if (span == null) {
      return response;
    }
    if (thrown != null || response == null) {
      Tracer.end(span, null, thrown);
      return response;
    }
    Tracer.exit(span);
    CallState.of(span).responded(response);
    return response;
  }

  /**
   * Async call returned {@code CompletableFuture<HttpResponseFor>}: the app gets the SDK's future
   * followed by one {@code whenComplete} stage (a plain {@code CompletableFuture} like the SDK's own,
   * with the same result or the same exception object). Its action runs before anything chained on it,
   * and returns before that runs, so it is on no stack the app's code or the SDK's parsing sees.
   */
  @SuppressWarnings("unchecked")
  static Object returnedAsync(Span span, Object future, Throwable thrown) {
    if (span == null) {
      return future;
    }
    if (thrown != null || !(future instanceof CompletableFuture)) {
      Tracer.end(span, null, thrown);
      return future;
    }
    Tracer.exit(span);
    return ((CompletableFuture<Object>) future).whenComplete(new Completion(CallState.of(span)));
  }

  /**
   * Records the response (or ends the span with the failure) and, on the HTTP client's callback thread,
   * makes the caller's parent current for what the completion runs next: the SDK's parse and the app's
   * callbacks. The callback's woven exit ({@link HttpCallbacks}) puts the thread's context back.
   */
  static final class Completion implements BiConsumer<Object, Throwable> {
    private final CallState state;

    Completion(CallState state) {
      this.state = state;
    }

    @Override
    public void accept(Object response, Throwable error) {
      if (error != null) {
        state.failed(unwrap(error));
      } else if (response == null) {
        state.succeeded(null);
      } else {
        state.responded(response);
      }
      if (HttpCallbacks.inside()) {
        Tracer.attach(state.parent());
      }
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
