package ai.wandb.agent.instrumentation.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.resolution.StaticToolCallbackResolver;

/**
 * Spring AI 1.x only (2.0 dropped {@code toolNames}): tools an app registers in its context and names in the
 * call, as spring-ai-examples' function-callback apps do ({@code .toolNames("WeatherInfo")}). The model
 * resolves the names and sends the tools in full; each round trip's span shows them as sent.
 */
class ToolNamesScenarioTest {
  private static final String CHAT = "/v1/chat/completions";

  private AgentHarness agent;
  private OpenAiTestServer server;

  @BeforeEach
  void setUp() {
    agent = AgentHarness.install(Models.modules());
    server = OpenAiTestServer.start();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void toolsNamedByTheCallAreShownAsSent() throws Exception {
    server.enqueue(CHAT, Reply.recorded("chat-completion-tool-calls"));
    server.enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    // What Spring Boot's auto-configuration builds from the app's ToolCallback beans.
    ToolCallingManager tools = ToolCallingManager.builder()
        .toolCallbackResolver(new StaticToolCallbackResolver(List.of(ToolCallbacks.from(new ShopTools())))).build();
    ChatClient client = ChatClient.builder(Models.chat(server.baseUrl(), tools)).build();

    ChatResponse response = client.prompt("Cancel order A-17, please.").toolNames("orderStatus", "cancelOrder")
        .call().chatResponse();

    assertEquals("Order A-17 has shipped, so it can no longer be cancelled.", response.getResult().getOutput().getText());
    Span root = agent.nextTrace(Duration.ofSeconds(10));
    List<Span> rounds = AgentHarness.flatten(root).stream().filter(s -> s.name().equals("spring_ai.chat")).toList();
    List<OpenAiTestServer.RecordedRequest> requests = server.requests();
    assertEquals(2, rounds.size());
    assertEquals(2, requests.size());
    for (int i = 0; i < 2; i++) {
      Object sent = ((Map<?, ?>) Json.parse(requests.get(i).body())).get("tools");
      assertEquals(2, ((List<?>) sent).size(), "the named tools went out in full");
      assertEquals(Json.parse(Json.write(sent)), Json.parse(Json.write(((Map<?, ?>) rounds.get(i).inputs()).get("tools"))),
          "round trip " + (i + 1) + " shows the tools as sent");
    }
    // ChatClient keeps the names in a set, so in no promised order.
    assertEquals(Set.of("orderStatus", "cancelOrder"), new HashSet<>((List<?>) ((Map<?, ?>) root.inputs()).get("tool_names")),
        "the call as the app made it");
  }
}
