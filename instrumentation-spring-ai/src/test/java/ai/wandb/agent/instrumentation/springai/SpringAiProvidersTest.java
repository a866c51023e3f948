package ai.wandb.agent.instrumentation.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SpringAiProvidersTest {
  @Test
  void eachProviderModuleNamesItsProvider() {
    assertEquals("openai", SpringAiProviders.of("org.springframework.ai.openai.OpenAiChatModel"));
    assertEquals("azure.openai", SpringAiProviders.of("org.springframework.ai.azure.openai.AzureOpenAiChatModel"));
    assertEquals("anthropic", SpringAiProviders.of("org.springframework.ai.anthropic.AnthropicChatModel"));
    assertEquals("ollama", SpringAiProviders.of("org.springframework.ai.ollama.OllamaChatModel"));
    assertEquals("gcp.vertex_ai",
        SpringAiProviders.of("org.springframework.ai.vertexai.gemini.VertexAiGeminiChatModel"));
    assertEquals("gcp.gen_ai", SpringAiProviders.of("org.springframework.ai.google.genai.GoogleGenAiChatModel"));
    assertEquals("aws.bedrock",
        SpringAiProviders.of("org.springframework.ai.bedrock.converse.BedrockProxyChatModel"));
    assertEquals("mistral_ai", SpringAiProviders.of("org.springframework.ai.mistralai.MistralAiChatModel"));
    assertEquals("deepseek", SpringAiProviders.of("org.springframework.ai.deepseek.DeepSeekChatModel"));
  }

  @Test
  void anAppsOwnModelIsSpringAi() {
    assertEquals("spring_ai", SpringAiProviders.of("com.acme.CachingChatModel"));
    assertNull(SpringAiProviders.of((Object) null));
  }
}
