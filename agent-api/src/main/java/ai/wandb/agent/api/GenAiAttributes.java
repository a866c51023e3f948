package ai.wandb.agent.api;

import java.util.Map;

/**
 * The OpenTelemetry GenAI request attributes read from an OpenAI-shaped request body, which is the
 * shape every instrumentation renders its inputs in; one mapping, so every library names them alike.
 */
public final class GenAiAttributes {
  private GenAiAttributes() {}

  public static void setRequestAttributes(Span span, Map<String, Object> body) {
    span.setAttribute("gen_ai.request.model", body.get("model"));
    span.setAttribute("gen_ai.request.temperature", body.get("temperature"));
    span.setAttribute("gen_ai.request.top_p", body.get("top_p"));
    span.setAttribute("gen_ai.request.top_k", body.get("top_k"));
    span.setAttribute("gen_ai.request.seed", body.get("seed"));
    span.setAttribute("gen_ai.request.max_tokens",
        first(body, "max_completion_tokens", "max_tokens", "max_output_tokens", "max_prompt_tokens"));
    span.setAttribute("gen_ai.request.frequency_penalty", body.get("frequency_penalty"));
    span.setAttribute("gen_ai.request.presence_penalty", body.get("presence_penalty"));
    span.setAttribute("gen_ai.request.stop_sequences", body.get("stop"));
  }

  private static Object first(Map<String, Object> body, String... keys) {
    for (String key : keys) {
      if (body.get(key) != null) {
        return body.get(key);
      }
    }
    return null;
  }
}
