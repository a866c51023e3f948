package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.instrumentation.executors.ExecutorsInstrumentationModule;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.gemini.GeminiTestServer;
import com.google.genai.Client;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Part;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the scenario suite: the agent installed in-process (with the executors module, which
 * carries the caller's span to the pool where 1.x's async methods run), a loopback Gemini API server and
 * a client pointed at it. Scenarios use only APIs that exist from google-genai 1.0.0 on, so the same
 * classes run against each SDK version the build tests (see the surefire executions in the pom).
 */
abstract class GeminiScenario {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String MODEL = "gemini-2.5-flash";

  AgentHarness agent;
  GeminiTestServer server;
  Client client;

  @BeforeEach
  void startServerAndClient() {
    agent = AgentHarness.install(new GoogleGenAiInstrumentationModule(), new ExecutorsInstrumentationModule());
    server = GeminiTestServer.start();
    client = Client.builder().apiKey("test-key").httpOptions(httpOptions(server.baseUrl())).build();
  }

  /**
   * The loopback server, with the SDK's own retries (2.x retries 429 and 5xx by default) off, so that an
   * error reaches the app at once; 1.x has no retries and no retry options.
   */
  static HttpOptions httpOptions(String baseUrl) {
    HttpOptions.Builder builder = HttpOptions.builder().baseUrl(baseUrl).timeout(5000);
    try {
      Class<?> retryType = Class.forName("com.google.genai.types.HttpRetryOptions");
      Object retryBuilder = retryType.getMethod("builder").invoke(null);
      Class<?> retryBuilderType = Class.forName("com.google.genai.types.HttpRetryOptions$Builder");
      retryBuilderType.getMethod("attempts", Integer.class).invoke(retryBuilder, 1);
      Object retry = retryBuilderType.getMethod("build").invoke(retryBuilder);
      HttpOptions.Builder.class.getMethod("retryOptions", retryType).invoke(builder, retry);
    } catch (ClassNotFoundException e) {
      // 1.x: no retries to switch off
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return builder.build();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  static GenerateContentConfig config() {
    return GenerateContentConfig.builder()
        .systemInstruction(Content.fromParts(Part.fromText("You write GitHub search URLs.")))
        .temperature(0.2f)
        .topP(0.9f)
        .maxOutputTokens(200)
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

  /** The text of the first part of the first candidate of a response (or folded stream) JSON. */
  static Object firstText(Object response) {
    Map<String, Object> candidate = map(list(map(response).get("candidates")).get(0));
    return map(list(map(candidate.get("content")).get("parts")).get(0)).get("text");
  }
}
