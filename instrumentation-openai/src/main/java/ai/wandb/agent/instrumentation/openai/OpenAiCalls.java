package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.concurrent.CompletableFuture;

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

  /** Blocking call returned {@code HttpResponseFor} (or threw): what the app gets instead. */
  static Object returned(Span span, Object response, Throwable thrown) {
    if (span == null) {
      return response;
    }
    if (thrown != null || response == null) {
      Tracer.end(span, null, thrown);
      return response;
    }
    Tracer.exit(span);
    return CallState.of(span).traced(response);
  }

  /** Async call returned {@code CompletableFuture<HttpResponseFor>}: a future that ends the span when it completes. */
  static Object returnedAsync(Span span, Object future, Throwable thrown) {
    if (span == null) {
      return future;
    }
    if (thrown != null || !(future instanceof CompletableFuture)) {
      Tracer.end(span, null, thrown);
      return future;
    }
    Tracer.exit(span);
    return TracedFuture.of(CallState.of(span), (CompletableFuture<?>) future);
  }
}
