package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatCompletionInstrumentationTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private AgentHarness agent;
  private OpenAiTestServer server;
  private OpenAIClient client;

  @BeforeEach
  void setUp() {
    agent = AgentHarness.install(new OpenAiInstrumentationModule());
    server = OpenAiTestServer.start();
    client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("sk-test").maxRetries(0).build();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @SuppressWarnings("deprecation") // seed is deprecated in newer SDKs, and still sent
  private static ChatCompletionCreateParams question() {
    return ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini")
        .addSystemMessage("You write GitHub search URLs.")
        .addUserMessage("find java yaml parsers")
        .temperature(0.2)
        .maxCompletionTokens(200L)
        .seed(42L)
        .build();
  }

  @Test
  void aChatCompletionBecomesOneLlmSpanWithRequestResponseAndUsage() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));

    ChatCompletion completion = client.chat().completions().create(question());

    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.chat.completions.create", span.name());
    assertEquals(SpanKind.LLM, span.kind());
    assertEquals(SpanStatus.OK, span.status());
    assertTrue(span.children().isEmpty());

    Map<?, ?> inputs = (Map<?, ?>) span.inputs();
    assertEquals("gpt-4o-mini", inputs.get("model"));
    List<?> messages = (List<?>) inputs.get("messages");
    assertEquals("find java yaml parsers", ((Map<?, ?>) messages.get(1)).get("content"));

    Map<?, ?> outputs = (Map<?, ?>) span.outputs();
    assertEquals(completion.id(), outputs.get("id"));
    Map<?, ?> message = (Map<?, ?>) ((Map<?, ?>) ((List<?>) outputs.get("choices")).get(0)).get("message");
    assertEquals(completion.choices().get(0).message().content().orElseThrow(), message.get("content"));

    Map<String, Object> attributes = span.attributes();
    assertEquals("chat", attributes.get("gen_ai.operation.name"));
    assertEquals("local", attributes.get("gen_ai.provider.name"));
    assertEquals("gpt-4o-mini", attributes.get("gen_ai.request.model"));
    assertEquals(0.2, ((Number) attributes.get("gen_ai.request.temperature")).doubleValue());
    assertEquals(200L, ((Number) attributes.get("gen_ai.request.max_tokens")).longValue());
    assertEquals(42L, ((Number) attributes.get("gen_ai.request.seed")).longValue());
    assertEquals("gpt-4o-mini-2024-07-18", attributes.get("gen_ai.response.model"));
    assertEquals(List.of("stop"), attributes.get("gen_ai.response.finish_reasons"));

    assertEquals(52L, span.usage().inputTokens());
    assertEquals(17L, span.usage().outputTokens());
    assertEquals(69L, span.usage().totalTokens());
    assertEquals(0L, span.usage().cachedInputTokens());
  }

  @Test
  void aServerErrorIsAnErrorSpanAndTheApplicationStillSeesTheSdkException() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.json(500, OpenAiTestServer.recorded("error-500")));

    assertThrows(InternalServerException.class, () -> client.chat().completions().create(question()));

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertEquals(InternalServerException.class.getName(), span.errorJson().get("type"));
    assertEquals(500, span.attributes().get("http.response.status_code"));
    assertNull(span.outputs());
    assertEquals("gpt-4o-mini", ((Map<?, ?>) span.inputs()).get("model"));
  }

  @Test
  void aCallInsideAnEnclosingSpanNestsUnderIt() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));
    Span outer = Tracer.start("app.handle", SpanKind.CHAIN, null, null);
    client.chat().completions().create(question());
    Tracer.end(outer, null, null);

    Span root = agent.nextTrace(WAIT);
    assertEquals("app.handle", root.name());
    assertEquals(1, root.children().size());
    assertEquals("openai.chat.completions.create", root.children().get(0).name());
    assertEquals(root.traceId(), root.children().get(0).traceId());
  }
}
