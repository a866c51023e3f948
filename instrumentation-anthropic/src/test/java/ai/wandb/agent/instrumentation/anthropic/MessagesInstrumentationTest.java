package ai.wandb.agent.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.anthropic.AnthropicTestServer.Reply;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagesInstrumentationTest extends AnthropicScenario {
  @Test
  void aMessageIsOneLlmSpanWithTheRequestAsSentTheMessageAndCacheAwareUsage() throws Exception {
    server.enqueue("/v1/messages", Reply.recorded("message"));

    Message message = client.messages().create(question());

    assertEquals("https://github.com/search?q=java+yaml+parser&type=repositories",
        message.content().get(0).asText().text());
    Span span = agent.nextTrace(WAIT);
    assertEquals("anthropic.messages.create", span.name());
    assertEquals(SpanKind.LLM, span.kind());
    assertEquals(SpanStatus.OK, span.status());
    Map<String, Object> inputs = map(span.inputs());
    assertEquals("You write GitHub search URLs.", inputs.get("system"));
    assertEquals(List.of(Map.of("role", "user", "content", "find java yaml parsers")), inputs.get("messages"));
    assertEquals(1024L, ((Number) inputs.get("max_tokens")).longValue());
    assertEquals("chat", span.attributes().get("gen_ai.operation.name"));
    assertEquals("anthropic", span.attributes().get("gen_ai.provider.name"));
    assertEquals(MODEL, span.attributes().get("gen_ai.request.model"));
    assertEquals(0.2, span.attributes().get("gen_ai.request.temperature"));
    assertEquals(40L, ((Number) span.attributes().get("gen_ai.request.top_k")).longValue());
    assertEquals(List.of("\n\n"), span.attributes().get("gen_ai.request.stop_sequences"));
    assertEquals("msg_01XFDUDYJgAACzvnptvVoYEL", span.attributes().get("gen_ai.response.id"));
    assertEquals(MODEL, span.attributes().get("gen_ai.response.model"));
    assertEquals(List.of("end_turn"), span.attributes().get("gen_ai.response.finish_reasons"));
    assertEquals("text", block(span, 0).get("type"));
    assertEquals(21L + 188L + 1024L, span.usage().inputTokens());
    assertEquals(1024L, span.usage().cachedInputTokens());
    assertEquals(188L, span.usage().cacheCreationInputTokens());
    assertEquals(19L, span.usage().outputTokens());
    assertEquals(21L + 188L + 1024L + 19L, span.usage().totalTokens());
    assertTrue(agent.finishedTraces().isEmpty());
  }

  @Test
  void toolsToolChoiceAndThinkingAreInputsAndToolUseAndThinkingBlocksOutputs() throws Exception {
    server.enqueue("/v1/messages", Reply.recorded("message-tool-use"));
    server.enqueue("/v1/messages", Reply.recorded("message-thinking"));

    Message toolUse = client.messages().create(questionWithTool());
    Message thinking = client.messages().create(questionWithTool());

    assertEquals("github_search_url", toolUse.content().get(1).asToolUse().name());
    assertTrue(thinking.content().get(0).isThinking());
    Span toolSpan = agent.nextTrace(WAIT);
    Map<String, Object> inputs = map(toolSpan.inputs());
    assertEquals("github_search_url", map(list(inputs.get("tools")).get(0)).get("name"));
    assertEquals(Map.of("type", "auto"), inputs.get("tool_choice"));
    assertEquals(Map.of("type", "enabled", "budget_tokens", 1024), inputs.get("thinking"));
    assertEquals(1024, ((Number) toolSpan.attributes().get("anthropic.request.thinking.budget_tokens")).intValue());
    assertEquals(inputs.get("tools"), toolSpan.attributes().get("gen_ai.tool.definitions"));
    assertEquals(List.of("tool_use"), toolSpan.attributes().get("gen_ai.response.finish_reasons"));
    Map<String, Object> call = block(toolSpan, 1);
    assertEquals("tool_use", call.get("type"));
    assertEquals("toolu_01A09q90qw90lq917835lq9", call.get("id"));
    assertEquals(Map.of("query", "java yaml parser", "language", "Java"), call.get("input"));
    Span thinkingSpan = agent.nextTrace(WAIT);
    assertEquals("thinking", block(thinkingSpan, 0).get("type"));
    assertTrue(((String) block(thinkingSpan, 0).get("thinking")).startsWith("The user wants Java YAML parsers"));
  }

  @Test
  void withRawResponseTheSpanEndsWhenTheAppParses() throws Exception {
    server.enqueue("/v1/messages", Reply.recorded("message"));

    HttpResponseFor<Message> raw = client.messages().withRawResponse().create(question());
    assertEquals(200, raw.statusCode());
    assertTrue(agent.finishedTraces().isEmpty());
    Message message = raw.parse();

    assertEquals("msg_01XFDUDYJgAACzvnptvVoYEL", message.id());
    Span span = agent.nextTrace(WAIT);
    assertEquals("anthropic.messages.create", span.name());
    assertEquals("msg_01XFDUDYJgAACzvnptvVoYEL", map(span.outputs()).get("id"));
  }

  @Test
  void aRawResponseClosedUnparsedEndsTheSpanWithoutOutputs() throws Exception {
    server.enqueue("/v1/messages", Reply.recorded("message"));

    client.messages().withRawResponse().create(question()).close();

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.OK, span.status());
    assertNull(span.outputs());
  }

  @Test
  void apiErrorsAreErrorSpansWithTheSdksExceptionWhichTheAppGetsUnchanged() throws Exception {
    server.enqueue("/v1/messages", Reply.error(401, "authentication_error", "invalid x-api-key"));
    server.enqueue("/v1/messages", Reply.error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"));
    server.enqueue("/v1/messages", Reply.error(529, "overloaded_error", "Overloaded"));
    server.enqueue("/v1/messages", Reply.error(500, "api_error", "Internal server error"));

    UnauthorizedException unauthorized = assertThrows(UnauthorizedException.class,
        () -> client.messages().create(question()));
    RateLimitException rateLimited = assertThrows(RateLimitException.class,
        () -> client.messages().create(question()));
    AnthropicServiceException overloaded = assertThrows(AnthropicServiceException.class,
        () -> client.messages().create(question()));
    InternalServerException internal = assertThrows(InternalServerException.class,
        () -> client.messages().create(question()));

    assertErrorSpan(unauthorized, 401);
    assertErrorSpan(rateLimited, 429);
    assertErrorSpan(overloaded, 529);
    assertErrorSpan(internal, 500);
    assertTrue(overloaded.getMessage().contains("overloaded_error"), overloaded.getMessage());
  }

  private void assertErrorSpan(Throwable thrown, int status) throws InterruptedException {
    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertSame(thrown, span.error());
    assertEquals(status, span.attributes().get("http.response.status_code"));
    assertNull(span.usage());
  }

  @Test
  void theAppSeesTheSdksOwnMessage() {
    server.enqueue("/v1/messages", Reply.recorded("message"));

    Message message = client.messages().create(question());

    assertEquals(Message.class, message.getClass());
    ContentBlock first = message.content().get(0);
    assertTrue(first.isText());
  }
}
