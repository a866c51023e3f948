package ai.wandb.agent.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.wandb.agent.api.Usage;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicUsageAndProviderTest {
  @Test
  void inputTokensIncludeTheCachesReadsAndWrites() {
    Usage usage = AnthropicUsage.of(Map.of("input_tokens", 21, "cache_creation_input_tokens", 188,
        "cache_read_input_tokens", 1024, "output_tokens", 19));

    assertEquals(1233L, usage.inputTokens());
    assertEquals(1024L, usage.cachedInputTokens());
    assertEquals(188L, usage.cacheCreationInputTokens());
    assertEquals(1252L, usage.totalTokens());
    assertNull(usage.reasoningTokens());
  }

  @Test
  void cacheFieldsTheServerLeftOutStayUnreported() {
    Map<String, Object> reported = new HashMap<>();
    reported.put("input_tokens", 5);
    reported.put("output_tokens", 2);
    reported.put("cache_read_input_tokens", null);

    Usage usage = AnthropicUsage.of(reported);

    assertEquals(5L, usage.inputTokens());
    assertNull(usage.cachedInputTokens());
    assertNull(usage.cacheCreationInputTokens());
    assertNull(AnthropicUsage.of(null));
  }

  @Test
  void theProviderIsTheClientsBackend() {
    assertEquals("anthropic", AnthropicProvider.ofBackend("com.anthropic.backends.AnthropicBackend"));
    assertEquals("aws.bedrock", AnthropicProvider.ofBackend("com.anthropic.bedrock.backends.BedrockBackend"));
    assertEquals("aws.bedrock", AnthropicProvider.ofBackend("com.anthropic.bedrock.backends.BedrockMantleBackend"));
    assertEquals("gcp.vertex_ai", AnthropicProvider.ofBackend("com.anthropic.vertex.backends.VertexBackend"));
    assertEquals("azure.ai.inference", AnthropicProvider.ofBackend("com.anthropic.foundry.backends.FoundryBackend"));
    assertEquals("anthropic", AnthropicProvider.of(null));
  }
}
