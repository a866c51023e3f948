package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProvidersTest {
  @ParameterizedTest
  @CsvSource({
    "https://api.openai.com/v1, openai",
    "https://my-resource.openai.azure.com/openai/deployments/gpt4, azure",
    "https://api.deepseek.com, deepseek",
    "https://openrouter.ai/api/v1, openrouter",
    "http://localhost:11434/v1, ollama",
    "http://127.0.0.1:8080/v1, local",
    "http://localhost:4000, local",
    "https://bedrock-runtime.us-east-1.amazonaws.com, aws.bedrock",
    "not a url at all, openai",
  })
  void providerComesFromTheBaseUrlHost(String baseUrl, String provider) {
    assertEquals(provider, Providers.fromBaseUrl(baseUrl));
  }

  /** The last URL is remembered: another client's URL, or none, still gets its own provider. */
  @Test
  void eachBaseUrlKeepsItsProviderWhenClientsAlternate() {
    for (int i = 0; i < 3; i++) {
      assertEquals("deepseek", Providers.fromBaseUrl("https://api.deepseek.com"));
      assertEquals("local", Providers.fromBaseUrl("http://127.0.0.1:8080/v1"));
      assertEquals("openai", Providers.fromBaseUrl(null));
    }
  }
}
