package ai.wandb.agent.instrumentation.googlegenai;

/**
 * What a span was asked, by reference to the SDK's own immutable objects; rendered on the exporter thread.
 * For a chat, {@code contents} is the new message and {@link #sent} what the chat sent: its history and
 * the message, recorded when the SDK built that list.
 */
final class GenAiRequest {
  final GenAiOperation operation;
  final String model;
  final Object contents;
  final Object config;
  /** The SDK's {@code ApiClient} (which API the client talks to); null where the hooked class has none. */
  final Object apiClient;
  volatile Object sent;

  GenAiRequest(GenAiOperation operation, String model, Object contents, Object config, Object apiClient) {
    this.operation = operation;
    this.model = model;
    this.contents = contents;
    this.config = config;
    this.apiClient = apiClient;
  }
}
