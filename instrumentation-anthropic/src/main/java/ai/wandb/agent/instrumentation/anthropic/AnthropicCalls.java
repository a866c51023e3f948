package ai.wandb.agent.instrumentation.anthropic;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.stainless.StainlessServiceInstrumentation;

/** Starts a traced call's span on the app thread; its end is the shared Stainless SDK code's. */
final class AnthropicCalls implements StainlessServiceInstrumentation.CallStarter {
  static final AnthropicCalls INSTANCE = new AnthropicCalls();

  private AnthropicCalls() {}

  /**
   * The call's span, current while the SDK works; {@code null} (no span) when this very call is already
   * traced one layer up, so that layers calling each other never give two spans.
   */
  @Override
  public Span start(String type, String method, Object[] arguments, Object clientOptions) {
    AnthropicOperation operation = AnthropicOperation.of(type, method);
    if (operation == null) {
      return null;
    }
    Object params = arguments[0];
    Span current = Tracer.current();
    if (current != null && !current.isEnded() && current.request() instanceof AnthropicRequest
        && ((AnthropicRequest) current.request()).params == params) {
      return null;
    }
    return Tracer.start(operation.spanName, operation.kind, new AnthropicRequest(operation, params, clientOptions),
        AnthropicRenderer.INSTANCE);
  }
}
