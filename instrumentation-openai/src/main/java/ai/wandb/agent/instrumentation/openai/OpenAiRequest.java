package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.stainless.StainlessRequest;

/**
 * What a span holds on the app thread: the call's params (as sent), the client's options (for the base
 * URL), which operation it was, and whether the agent asked for stream usage the app did not.
 */
final class OpenAiRequest implements StainlessRequest {
  final OpenAiOperation operation;
  final Object params;
  final Object clientOptions;
  final boolean usageAdded;

  OpenAiRequest(OpenAiOperation operation, Object params, Object clientOptions, boolean usageAdded) {
    this.operation = operation;
    this.params = params;
    this.clientOptions = clientOptions;
    this.usageAdded = usageAdded;
  }

  @Override
  public boolean streaming() {
    return operation.streaming;
  }

  /** The usage-only chunk the agent asked for ({@link StreamUsage}) is not the app's. */
  @Override
  public boolean hidesMessages() {
    return usageAdded;
  }

  @Override
  public boolean hides(String sseLine) {
    return usageAdded && StreamUsage.isUsageOnly(sseLine);
  }
}
