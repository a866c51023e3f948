package ai.wandb.agent.instrumentation.anthropic;

import ai.wandb.agent.api.stainless.StainlessRequest;

/** What a span holds on the app thread: the call's params (as sent), the client's options and the operation. */
final class AnthropicRequest implements StainlessRequest {
  final AnthropicOperation operation;
  final Object params;
  final Object clientOptions;

  AnthropicRequest(AnthropicOperation operation, Object params, Object clientOptions) {
    this.operation = operation;
    this.params = params;
    this.clientOptions = clientOptions;
  }

  @Override
  public boolean streaming() {
    return operation.streaming;
  }

  /** Anthropic streams always carry their usage: the agent sends the app's own params and adds no event. */
  @Override
  public boolean hidesMessages() {
    return false;
  }

  @Override
  public boolean hides(String sseLine) {
    return false;
  }
}
