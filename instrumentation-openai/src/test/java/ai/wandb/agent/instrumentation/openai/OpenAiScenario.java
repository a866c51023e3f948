package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the scenario suite: the agent installed in-process, a local OpenAI-compatible server,
 * blocking and async clients. Scenarios use only APIs that exist from openai-java 1.1.0 on, so the same
 * classes run against every SDK version the build tests (see the surefire executions in the pom).
 */
abstract class OpenAiScenario {
  static final Duration WAIT = Duration.ofSeconds(10);

  AgentHarness agent;
  OpenAiTestServer server;
  OpenAIClient client;
  OpenAIClientAsync asyncClient;

  @BeforeEach
  void startServerAndClients() {
    agent = AgentHarness.install(new OpenAiInstrumentationModule());
    server = OpenAiTestServer.start();
    client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("sk-test").maxRetries(0)
        .timeout(Duration.ofSeconds(5)).build();
    asyncClient = OpenAIOkHttpClientAsync.builder().baseUrl(server.baseUrl()).apiKey("sk-test").maxRetries(0)
        .timeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @SuppressWarnings("deprecation") // seed is deprecated in newer SDKs, and still sent
  static ChatCompletionCreateParams question() {
    return ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini")
        .addSystemMessage("You write GitHub search URLs.")
        .addUserMessage("find java yaml parsers")
        .temperature(0.2)
        .topP(0.9)
        .maxCompletionTokens(200L)
        .seed(42L)
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

  /** {@code outputs.choices[0].message} of a chat span. */
  static Map<String, Object> firstMessage(Span span) {
    return map(map(list(map(span.outputs()).get("choices")).get(0)).get("message"));
  }
}
