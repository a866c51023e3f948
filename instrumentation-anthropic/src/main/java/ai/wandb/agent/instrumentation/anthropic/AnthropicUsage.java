package ai.wandb.agent.instrumentation.anthropic;

import ai.wandb.agent.api.Usage;
import java.util.Map;

/**
 * A message's {@code usage} as the span's usage. Anthropic's {@code input_tokens} leaves out the tokens
 * read from or written to the prompt cache; the span's input tokens include them (OpenAI's convention,
 * and the GenAI conventions'), with the cache reads as cached input and the cache writes beside them,
 * so that totals and prices compare across providers.
 */
final class AnthropicUsage {
  private AnthropicUsage() {}

  static Usage of(Map<String, Object> usage) {
    if (usage == null) {
      return null;
    }
    Long uncached = number(usage.get("input_tokens"));
    Long cacheRead = number(usage.get("cache_read_input_tokens"));
    Long cacheCreation = number(usage.get("cache_creation_input_tokens"));
    Long input = uncached == null && cacheRead == null && cacheCreation == null ? null
        : Long.valueOf(orZero(uncached) + orZero(cacheRead) + orZero(cacheCreation));
    return new Usage(input, number(usage.get("output_tokens")), null, cacheRead, null, cacheCreation);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static Long number(Object value) {
    return value instanceof Number ? Long.valueOf(((Number) value).longValue()) : null;
  }
}
