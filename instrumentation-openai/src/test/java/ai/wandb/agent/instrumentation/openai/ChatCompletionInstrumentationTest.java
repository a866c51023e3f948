package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import com.openai.core.RequestOptions;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatCompletionInstrumentationTest extends OpenAiScenario {
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

    assertEquals(completion.id(), map(span.outputs()).get("id"));
    assertEquals(completion.choices().get(0).message().content().orElseThrow(), firstMessage(span).get("content"));

    Map<String, Object> attributes = span.attributes();
    assertEquals("chat", attributes.get("gen_ai.operation.name"));
    assertEquals("local", attributes.get("gen_ai.provider.name"));
    assertEquals("gpt-4o-mini", attributes.get("gen_ai.request.model"));
    assertEquals(0.2, ((Number) attributes.get("gen_ai.request.temperature")).doubleValue());
    assertEquals(0.9, ((Number) attributes.get("gen_ai.request.top_p")).doubleValue());
    assertEquals(200L, ((Number) attributes.get("gen_ai.request.max_tokens")).longValue());
    assertEquals(42L, ((Number) attributes.get("gen_ai.request.seed")).longValue());
    assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", attributes.get("gen_ai.response.id"));
    assertEquals("gpt-4o-mini-2024-07-18", attributes.get("gen_ai.response.model"));
    assertEquals(List.of("stop"), attributes.get("gen_ai.response.finish_reasons"));

    assertEquals(52L, span.usage().inputTokens());
    assertEquals(17L, span.usage().outputTokens());
    assertEquals(69L, span.usage().totalTokens());
    assertEquals(0L, span.usage().cachedInputTokens());
    assertEquals(0L, span.usage().reasoningTokens());
  }

  @Test
  void toolDefinitionsToolChoiceAndTheToolCallsAnsweredAreOnTheSpan() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion-tool-call"));

    client.chat().completions().create(Tools.withSearchTool(question()));

    Span span = agent.nextTrace(WAIT);
    assertEquals("required", span.attributes().get("gen_ai.request.tool_choice"));
    Map<String, Object> tool = map(list(span.attributes().get("gen_ai.tool.definitions")).get(0));
    assertEquals("search_repositories", map(tool.get("function")).get("name"));
    Map<String, Object> call = map(list(firstMessage(span).get("tool_calls")).get(0));
    assertEquals("call_qnzc5HxQNyVVcCp6Cu4zBpNd", call.get("id"));
    assertEquals("{\"query\":\"yaml parser\",\"language\":\"java\"}", map(call.get("function")).get("arguments"));
    assertEquals(List.of("tool_calls"), span.attributes().get("gen_ai.response.finish_reasons"));
    assertEquals(64L, span.usage().cachedInputTokens());
  }

  @Test
  void withRawResponseIsTracedOnceAndEndsWhenTheAppParses() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));

    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(question());
    assertEquals(200, raw.statusCode());
    ChatCompletion completion = raw.parse();

    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.chat.completions.create", span.name());
    assertEquals(completion.id(), map(span.outputs()).get("id"));
    assertTrue(agent.finishedTraces().isEmpty());
  }

  @Test
  void aRawResponseDroppedWithoutParsingEndsItsSpanWhenCollected() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));

    readOnlyTheStatus();

    Span span = nextTraceCollectingGarbage();
    assertEquals(SpanStatus.ERROR, span.status());
    assertEquals("response was dropped without being parsed or closed", span.errorJson().get("message"));
  }

  private void readOnlyTheStatus() {
    assertEquals(200, client.chat().completions().withRawResponse().create(question()).statusCode());
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
  void aClientErrorCarriesItsStatusAndTheSdkException() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.json(401, OpenAiTestServer.recorded("error-401")));

    assertThrows(UnauthorizedException.class, () -> client.chat().completions().create(question()));

    Span span = agent.nextTrace(WAIT);
    assertEquals(UnauthorizedException.class.getName(), span.errorJson().get("type"));
    assertEquals(401, span.attributes().get("http.response.status_code"));
  }

  @Test
  void aTimeoutIsAnErrorSpan() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion").delayedBy(3_000));
    RequestOptions quick = RequestOptions.builder().timeout(Duration.ofMillis(200)).build();

    assertThrows(OpenAIException.class, () -> client.chat().completions().create(question(), quick));

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertNull(span.outputs());
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
