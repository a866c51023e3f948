package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.Usage;
import java.util.Map;

/**
 * A response's {@code usageMetadata} as the span's usage. Gemini bills thinking as output, and reports it
 * apart from the answer ({@code thoughtsTokenCount} besides {@code candidatesTokenCount}), so output tokens
 * are the two together and reasoning tokens the thoughts, as OpenAI counts reasoning inside completion
 * tokens; cached tokens ({@code cachedContentTokenCount}) are part of the prompt, as OpenAI's are.
 */
final class GenAiUsage {
  private GenAiUsage() {}

  static Usage of(Object usageMetadata) {
    Map<String, Object> usage = SdkJson.map(usageMetadata);
    if (usage == null) {
      return null;
    }
    Long prompt = number(usage.get("promptTokenCount"));
    Long candidates = number(usage.get("candidatesTokenCount"));
    Long thoughts = number(usage.get("thoughtsTokenCount"));
    Long output = candidates == null && thoughts == null ? null
        : Long.valueOf((candidates == null ? 0 : candidates) + (thoughts == null ? 0 : thoughts));
    if (prompt == null && output == null) {
      return null;
    }
    return new Usage(prompt, output, number(usage.get("totalTokenCount")),
        number(usage.get("cachedContentTokenCount")), thoughts);
  }

  private static Long number(Object value) {
    return value instanceof Number ? Long.valueOf(((Number) value).longValue()) : null;
  }
}
