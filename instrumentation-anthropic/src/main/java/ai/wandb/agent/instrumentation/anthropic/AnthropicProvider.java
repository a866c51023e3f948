package ai.wandb.agent.instrumentation.anthropic;

import ai.wandb.agent.api.Reflect;
import java.util.Locale;

/**
 * {@code gen_ai.provider.name} of a client, from the backend it was built with: the SDK's own
 * {@code AnthropicBackend}, or the {@code BedrockBackend}, {@code VertexBackend} or {@code FoundryBackend}
 * of the modules of those names. 3.x keeps the backend in {@code ClientOptions}, 2.x in the OkHttp
 * client under it; the base URL says nothing (a Bedrock client may point anywhere). Exporter thread only.
 */
final class AnthropicProvider {
  private static final Reflect.PrivateField BACKEND = new Reflect.PrivateField("backend");
  private static final Reflect.PrivateField ORIGINAL_HTTP_CLIENT = new Reflect.PrivateField("originalHttpClient");

  private AnthropicProvider() {}

  static String of(Object clientOptions) {
    Object backend = BACKEND.read(clientOptions);
    if (backend == null) {
      backend = BACKEND.read(ORIGINAL_HTTP_CLIENT.read(clientOptions));
    }
    return backend == null ? "anthropic" : ofBackend(backend.getClass().getName());
  }

  /** Microsoft Foundry serves Claude through Azure AI's inference endpoints. */
  static String ofBackend(String backendClass) {
    String name = backendClass.toLowerCase(Locale.ROOT);
    if (name.contains("bedrock")) {
      return "aws.bedrock";
    }
    if (name.contains("vertex")) {
      return "gcp.vertex_ai";
    }
    if (name.contains("foundry")) {
      return "azure.ai.inference";
    }
    return "anthropic";
  }
}
