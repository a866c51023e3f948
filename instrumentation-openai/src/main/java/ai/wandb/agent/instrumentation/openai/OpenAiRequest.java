package ai.wandb.agent.instrumentation.openai;

/** The SDK objects a span needs later: the call's params and the client's options (for the base URL). */
final class OpenAiRequest {
  final Object params;
  final Object clientOptions;

  OpenAiRequest(Object params, Object clientOptions) {
    this.params = params;
    this.clientOptions = clientOptions;
  }
}
