package ai.wandb.agent.instrumentation.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GenAiUsageTest {
  @Test
  void thoughtsAreOutputAndReasoningAndCachedTokensArePartOfThePrompt() {
    assertEquals(Map.of("input_tokens", 100L, "output_tokens", 30L, "total_tokens", 130L,
            "cached_input_tokens", 40L, "reasoning_tokens", 20L),
        GenAiUsage.of(Map.of("promptTokenCount", 100, "candidatesTokenCount", 10, "thoughtsTokenCount", 20,
            "cachedContentTokenCount", 40, "totalTokenCount", 130)).toJson());
  }

  @Test
  void aTotalTheServerLeftOutIsTheSum() {
    assertEquals(Map.of("input_tokens", 5L, "output_tokens", 2L, "total_tokens", 7L),
        GenAiUsage.of(Map.of("promptTokenCount", 5, "candidatesTokenCount", 2)).toJson());
  }

  @Test
  void noCountsIsNoUsage() {
    assertNull(GenAiUsage.of(Map.of("trafficType", "ON_DEMAND")));
    assertNull(GenAiUsage.of(null));
  }

  @Test
  void modelIdsLoseTheirResourcePrefix() {
    assertEquals("gemini-2.5-flash", GenAiRenderer.modelId("models/gemini-2.5-flash"));
    assertEquals("gemini-2.5-flash", GenAiRenderer.modelId("publishers/google/models/gemini-2.5-flash"));
    assertEquals("gemini-2.5-flash", GenAiRenderer.modelId("gemini-2.5-flash"));
    assertNull(GenAiRenderer.modelId(null));
  }
}
