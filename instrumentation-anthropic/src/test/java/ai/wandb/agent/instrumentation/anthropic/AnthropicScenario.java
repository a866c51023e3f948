package ai.wandb.agent.instrumentation.anthropic;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.instrumentation.executors.ExecutorsInstrumentationModule;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.anthropic.AnthropicTestServer;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClientAsync;
import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAuto;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the scenario suite: the agent installed in-process (this module and, as in the agent
 * jar, the executors module), a loopback Anthropic server,
 * blocking and async OkHttp clients. Scenarios use only APIs that exist from anthropic-java 2.0.0 on, so
 * the same classes run against every SDK version the build tests (see the surefire executions in the pom).
 */
abstract class AnthropicScenario {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String MODEL = "claude-sonnet-4-5-20250929";

  AgentHarness agent;
  AnthropicTestServer server;
  AnthropicClient client;
  AnthropicClientAsync asyncClient;

  @BeforeEach
  void startServerAndClients() {
    agent = AgentHarness.install(new AnthropicInstrumentationModule(), new ExecutorsInstrumentationModule());
    server = AnthropicTestServer.start();
    client = AnthropicOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("sk-ant-test").maxRetries(0)
        .timeout(Duration.ofSeconds(5)).build();
    asyncClient = AnthropicOkHttpClientAsync.builder().baseUrl(server.baseUrl()).apiKey("sk-ant-test")
        .maxRetries(0).timeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  static MessageCreateParams question() {
    return questionBuilder().build();
  }

  private static MessageCreateParams.Builder questionBuilder() {
    return MessageCreateParams.builder()
        .model(MODEL)
        .system("You write GitHub search URLs.")
        .addUserMessage("find java yaml parsers")
        .maxTokens(1024L)
        // Sampling parameters left the typed builder in 3.x (newer models reject them); sent as body properties.
        .putAdditionalBodyProperty("temperature", JsonValue.from(0.2))
        .putAdditionalBodyProperty("top_k", JsonValue.from(40))
        .stopSequences(List.of("\n\n"));
  }

  /** The question with a tool the model may call, and thinking enabled. */
  static MessageCreateParams questionWithTool() {
    // A new builder, not question().toBuilder(): adding a tool to a copy without tools fails in 2.0.0.
    return questionBuilder()
        .addTool(Tool.builder()
            .name("github_search_url")
            .description("Builds a GitHub repository search URL.")
            // properties(JsonValue) binds to another overload in 3.x than in 2.x: one call that is the same in both.
            .inputSchema(Tool.InputSchema.builder()
                .putAdditionalProperty("properties", JsonValue.from(Map.of("query", Map.of("type", "string"),
                    "language", Map.of("type", "string"))))
                .build())
            .build())
        .toolChoice(ToolChoiceAuto.builder().build())
        .enabledThinking(1024L)
        .build();
  }

  /** Waits for the next trace, collecting garbage while waiting (abandoned streams end at collection). */
  Span nextTraceCollectingGarbage() throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      System.gc();
      Span root = agent.finishedTraces().pollFirst();
      if (root != null) {
        return root;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no trace finished while collecting garbage");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  /** {@code outputs.content[i]} of a messages span. */
  static Map<String, Object> block(Span span, int index) {
    return map(list(map(span.outputs()).get("content")).get(index));
  }
}
