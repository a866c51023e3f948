package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Providers;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Chat completion spans: the request body as inputs, the completion as outputs, GenAI attributes, usage. */
final class ChatCompletionRenderer implements SpanRenderer {
  private final OpenAiWireJson wire;

  ChatCompletionRenderer(OpenAiWireJson wire) {
    this.wire = wire;
  }

  @Override
  public void renderStart(Span span) {
    OpenAiRequest request = (OpenAiRequest) span.request();
    span.setAttribute("gen_ai.operation.name", "chat");
    span.setAttribute("gen_ai.provider.name", Providers.fromBaseUrl(wire.baseUrl(request.clientOptions)));
    Map<String, Object> body;
    try {
      body = wire.body(request.params);
    } catch (Exception e) {
      span.setAttribute("wandb.render_error", "request: " + e);
      return;
    }
    span.setInputs(body);
    span.setAttribute("gen_ai.request.model", body.get("model"));
    span.setAttribute("gen_ai.request.temperature", body.get("temperature"));
    span.setAttribute("gen_ai.request.top_p", body.get("top_p"));
    span.setAttribute("gen_ai.request.seed", body.get("seed"));
    span.setAttribute("gen_ai.request.max_tokens",
        body.get("max_completion_tokens") != null ? body.get("max_completion_tokens") : body.get("max_tokens"));
    span.setAttribute("gen_ai.request.frequency_penalty", body.get("frequency_penalty"));
    span.setAttribute("gen_ai.request.presence_penalty", body.get("presence_penalty"));
    span.setAttribute("gen_ai.request.stop_sequences", body.get("stop"));
  }

  @Override
  public void renderEnd(Span span) {
    if (span.error() != null) {
      span.setAttribute("http.response.status_code", wire.statusCode(span.error()));
    }
    if (span.response() == null) {
      return;
    }
    Map<String, Object> completion;
    try {
      completion = wire.object(span.response());
    } catch (Exception e) {
      span.setAttribute("wandb.render_error", "response: " + e);
      return;
    }
    span.setOutputs(completion);
    span.setAttribute("gen_ai.response.id", completion.get("id"));
    span.setAttribute("gen_ai.response.model", completion.get("model"));
    span.setAttribute("gen_ai.response.finish_reasons", finishReasons(completion));
    span.setUsage(usage(completion.get("usage")));
  }

  private static List<Object> finishReasons(Map<String, Object> completion) {
    Object choices = completion.get("choices");
    if (!(choices instanceof List)) {
      return null;
    }
    List<Object> reasons = new ArrayList<Object>();
    for (Object choice : (List<?>) choices) {
      if (choice instanceof Map && ((Map<?, ?>) choice).get("finish_reason") != null) {
        reasons.add(((Map<?, ?>) choice).get("finish_reason"));
      }
    }
    return reasons;
  }

  /** Chat usage ({@code prompt_tokens}, {@code completion_tokens} and their details) as span usage. */
  static Usage usage(Object usage) {
    if (!(usage instanceof Map)) {
      return null;
    }
    Map<?, ?> map = (Map<?, ?>) usage;
    return new Usage(number(map.get("prompt_tokens")), number(map.get("completion_tokens")),
        number(map.get("total_tokens")), number(nested(map, "prompt_tokens_details", "cached_tokens")),
        number(nested(map, "completion_tokens_details", "reasoning_tokens")));
  }

  private static Object nested(Map<?, ?> map, String outer, String inner) {
    Object details = map.get(outer);
    return details instanceof Map ? ((Map<?, ?>) details).get(inner) : null;
  }

  private static Long number(Object value) {
    return value instanceof Number ? Long.valueOf(((Number) value).longValue()) : null;
  }
}
