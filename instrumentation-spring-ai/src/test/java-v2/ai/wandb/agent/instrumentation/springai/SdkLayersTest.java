package ai.wandb.agent.instrumentation.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.CountedUsage;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.anthropic.AnthropicTestServer;
import ai.wandb.agent.testing.gemini.GeminiTestServer;
import com.anthropic.models.messages.Model;
import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.google.genai.GoogleGenAiChatModel;
import org.springframework.ai.google.genai.GoogleGenAiChatOptions;

/**
 * Spring AI 2.x's Anthropic and Google GenAI models run on anthropic-java and google-genai, which the
 * agent traces too: the SDK's span nests inside {@code spring_ai.chat}, and every total counts the call
 * once (the innermost span with usage).
 */
class SdkLayersTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private AgentHarness agent;

  @BeforeEach
  void setUp() {
    agent = AgentHarness.install(Models.modules());
  }

  @Test
  void anAnthropicModelCallIsTheSdkSpanInsideSpringAisChatSpanCountedOnce() throws Exception {
    try (AnthropicTestServer server = AnthropicTestServer.start()) {
      server.enqueue("/v1/messages", AnthropicTestServer.Reply.recorded("message"));
      AnthropicChatModel model = AnthropicChatModel.builder()
          .options(AnthropicChatOptions.builder().baseUrl(server.baseUrl()).apiKey("sk-ant-test")
              .model(Model.of("claude-sonnet-4-5")).maxTokens(256).maxRetries(0).build())
          .build();

      String answer = ChatClient.create(model).prompt().user("find java yaml parsers").call().content();

      assertEquals("https://github.com/search?q=java+yaml+parser&type=repositories", answer);
      Span root = agent.nextTrace(WAIT);
      assertLayered(root, "spring_ai.chat", "anthropic.messages.create", "anthropic");
    }
  }

  @Test
  void aGeminiModelCallIsTheSdkSpanInsideSpringAisChatSpanCountedOnce() throws Exception {
    try (GeminiTestServer server = GeminiTestServer.start()) {
      server.enqueue("generateContent", GeminiTestServer.Reply.recorded("generate-content"));
      Client client = Client.builder().apiKey("test-key")
          .httpOptions(HttpOptions.builder().baseUrl(server.baseUrl()).timeout(5000).build()).build();
      GoogleGenAiChatModel model = GoogleGenAiChatModel.builder().genAiClient(client)
          .options(GoogleGenAiChatOptions.builder().model("gemini-2.5-flash").build()).build();

      String answer = ChatClient.create(model).prompt().user("find java yaml parsers").call().content();

      assertTrue(answer.startsWith("https://github.com/search?q=yaml+parser"), answer);
      Span root = agent.nextTrace(WAIT);
      assertLayered(root, "spring_ai.chat", "google_genai.models.generate_content", "gcp.gemini");
    }
  }

  private static void assertLayered(Span root, String framework, String sdk, String provider) {
    assertEquals("spring_ai.chat_client", root.name());
    List<Span> llm = AgentHarness.flatten(root).stream().filter(s -> s.kind() == SpanKind.LLM).toList();
    assertEquals(List.of(framework, sdk), llm.stream().map(Span::name).toList(), "one call, one span per layer");
    Span outer = llm.get(0);
    Span inner = llm.get(1);
    assertEquals(outer, inner.parent(), "the SDK's span nests in Spring AI's");
    assertEquals(provider, inner.attributes().get("gen_ai.provider.name"));
    assertTrue(inner.usage().totalTokens() > 0, "the SDK span has the provider's usage");
    assertEquals(inner.usage().totalTokens(), CountedUsage.total(root).totalTokens(), "tokens counted once");
    assertEquals(inner.usage().inputTokens(), CountedUsage.total(root).inputTokens());
  }
}
