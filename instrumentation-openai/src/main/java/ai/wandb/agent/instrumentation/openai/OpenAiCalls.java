package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.stainless.StainlessServiceInstrumentation;

/**
 * What the service advice does on the app thread before the SDK runs: the params to send, and the span.
 * What follows (the span's end with the response, stream or failure) is the shared Stainless SDK code's.
 */
final class OpenAiCalls implements StainlessServiceInstrumentation.CallStarter {
  static final OpenAiCalls INSTANCE = new OpenAiCalls();

  private OpenAiCalls() {}

  /** The params argument may be replaced by a copy that asks for stream usage ({@link #withStreamUsage}). */
  @Override
  public Span start(String type, String method, Object[] arguments, Object clientOptions) {
    Object params = arguments[0];
    Object sent = withStreamUsage(type, method, params, clientOptions);
    Span span = start(type, method, sent, clientOptions, sent != params);
    arguments[0] = sent;
    return span;
  }

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
}
