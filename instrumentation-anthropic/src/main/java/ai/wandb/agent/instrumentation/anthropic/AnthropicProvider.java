package ai.wandb.agent.instrumentation.anthropic;

import java.lang.reflect.Field;
import java.util.Locale;

/**
 * {@code gen_ai.provider.name} of a client, from the backend it was built with: the SDK's own
 * {@code AnthropicBackend}, or the {@code BedrockBackend}, {@code VertexBackend} or {@code FoundryBackend}
 * of the modules of those names. 3.x keeps the backend in {@code ClientOptions}, 2.x in the OkHttp
 * client under it; the base URL says nothing (a Bedrock client may point anywhere). Exporter thread only.
 */
final class AnthropicProvider {
  private AnthropicProvider() {}

  static String of(Object clientOptions) {
    Object backend = field(clientOptions, "backend");
    if (backend == null) {
      backend = field(field(clientOptions, "originalHttpClient"), "backend");
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

  private static Object field(Object target, String name) {
    if (target == null) {
      return null;
    }
    for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
      } catch (NoSuchFieldException e) {
        // on to the superclass
      } catch (Exception e) {
        return null;
      }
    }
    return null;
  }
}
