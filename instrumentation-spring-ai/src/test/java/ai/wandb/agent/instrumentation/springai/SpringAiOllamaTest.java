package ai.wandb.agent.instrumentation.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.CountedUsage;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.ollama.OllamaTestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.api.OllamaApi;

/**
 * A provider other than OpenAI: Spring AI's Ollama model (its own HTTP client on every line) against a
 * local server answering with Ollama's /api/chat JSON; 1.x loops inside the model's private internalCall,
 * 2.x in ChatClient's ToolCallingAdvisor.
 */
class SpringAiOllamaTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private AgentHarness agent;
  private OllamaTestServer server;

  @BeforeEach
  void setUp() {
    agent = AgentHarness.install(Models.modules());
    server = OllamaTestServer.start();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private static Map<?, ?> map(Object value) {
    return (Map<?, ?>) value;
  }

  @Test
  void toolLoopOnOllamaIsOneLlmSpanPerRoundTripWithItsOwnUsage() throws Exception {
    server.enqueueRecorded("/api/chat", "chat-tool-calls").enqueueRecorded("/api/chat", "chat-after-tools");
    ChatModel model = OllamaChatModel.builder().ollamaApi(OllamaApi.builder().baseUrl(server.baseUrl()).build()).build();

    String answer = ChatClient.create(model).prompt().user("Cancel order A-17, please.").tools(new ShopTools())
        .call().content();

    assertEquals("Order A-17 has shipped, so it can no longer be cancelled.", answer);
    Span root = agent.nextTrace(WAIT);
    assertEquals("spring_ai.chat_client", root.name());
    List<Span> steps = AgentHarness.flatten(root).stream()
        .filter(s -> s.name().equals("spring_ai.chat") || s.kind() == SpanKind.TOOL).toList();
    assertEquals(List.of("spring_ai.chat", "spring_ai.tool.orderStatus", "spring_ai.tool.cancelOrder", "spring_ai.chat"),
        steps.stream().map(Span::name).toList(), "steps: " + AgentHarness.flatten(root));
    for (Span step : steps) {
      assertTrue(step.parent().kind() != SpanKind.LLM, step + " is inside " + step.parent());
    }
    Span first = steps.get(0);
    assertEquals("ollama", first.attributes().get("gen_ai.provider.name"));
    assertEquals(OllamaChatModel.class.getName(), first.attributes().get("spring_ai.model.class"));
    List<?> toolCalls = (List<?>) map(map(((List<?>) map(first.outputs()).get("choices")).get(0)).get("message"))
        .get("tool_calls");
    assertEquals(2, toolCalls.size(), "the tool calls Ollama sent: " + first.outputs());
    assertEquals(187L, first.usage().inputTokens());
    assertEquals(41L, first.usage().outputTokens());
    assertEquals(SpanStatus.ERROR, steps.get(2).status());
    Span last = steps.get(3);
    assertEquals(254L, last.usage().inputTokens(), "the second round trip's own usage, not the running sum");
    assertEquals(15L, last.usage().outputTokens());
    List<?> sent = (List<?>) map(last.inputs()).get("messages");
    assertEquals("tool", map(sent.get(sent.size() - 1)).get("role"), "the tool results as sent");
    assertEquals(187 + 41 + 254 + 15, CountedUsage.total(root).totalTokens(), "each round trip counted once");
    assertEquals(2, server.requests().size());
  }
}
