package ai.wandb.agent.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.AbandonedSpans;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.anthropic.AnthropicTestServer.Reply;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MessagesStreamingInstrumentationTest extends AnthropicScenario {
  private static final String STREAMED_TEXT = "https://github.com/search?q=java+yaml+parser&type=repositories";

  private static String text(RawMessageStreamEvent event) {
    return event.contentBlockDelta().flatMap(delta -> delta.delta().text()).map(text -> text.text()).orElse("");
  }

  @Test
  void aStreamReadToTheEndIsOneSpanWithTheMessageRebuiltUsageAndTimeToFirstToken() throws Exception {
    server.enqueue("/v1/messages", Reply.sse("message-stream"));

    String text;
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(question())) {
      text = stream.stream().map(MessagesStreamingInstrumentationTest::text).collect(Collectors.joining());
    }

    assertEquals(STREAMED_TEXT, text);
    assertTrue(server.requests().get(0).body().contains("\"stream\":true"));
    Span span = agent.nextTrace(WAIT);
    assertEquals("anthropic.messages.create", span.name());
    assertEquals(SpanStatus.OK, span.status());
    assertEquals(Boolean.TRUE, map(span.inputs()).get("stream"));
    assertEquals(Boolean.TRUE, span.attributes().get("gen_ai.request.stream"));
    assertEquals(STREAMED_TEXT, block(span, 0).get("text"));
    assertEquals("msg_01Str3amXq7bYmFtTf3nZL4s", span.attributes().get("gen_ai.response.id"));
    assertEquals(List.of("end_turn"), span.attributes().get("gen_ai.response.finish_reasons"));
    assertEquals(25L + 2048L, span.usage().inputTokens());
    assertEquals(2048L, span.usage().cachedInputTokens());
    assertEquals(15L, span.usage().outputTokens());
    assertEquals(8, span.attributes().get("wandb.stream.chunks")); // nine events, less the ping the SDK skips
    assertTrue(((Number) span.attributes().get("wandb.time_to_first_token_ms")).doubleValue() >= 0);
    assertTrue(agent.finishedTraces().isEmpty());
  }

  @Test
  void aStreamedToolCallAndThinkingAreFoldedIntoTheirBlocks() throws Exception {
    server.enqueue("/v1/messages", Reply.sse("message-stream-tool-use"));

    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(questionWithTool())) {
      stream.stream().forEach(event -> { });
    }

    Span span = agent.nextTrace(WAIT);
    Map<String, Object> thinking = block(span, 0);
    assertEquals("thinking", thinking.get("type"));
    assertEquals("A repository search, built by the tool.", thinking.get("thinking"));
    assertEquals("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds", thinking.get("signature"));
    Map<String, Object> call = block(span, 1);
    assertEquals("tool_use", call.get("type"));
    assertEquals("github_search_url", call.get("name"));
    assertEquals(Map.of("query", "java yaml parser", "language", "Java"), call.get("input"));
    assertEquals(List.of("tool_use"), span.attributes().get("gen_ai.response.finish_reasons"));
    assertEquals(89L, span.usage().outputTokens());
  }

  @Test
  void aStreamClosedEarlyEndsOkWithWhatWasRead() throws Exception {
    server.enqueue("/v1/messages", Reply.sse("message-stream"));

    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(question())) {
      Iterator<RawMessageStreamEvent> events = stream.stream().iterator();
      events.next();
      events.next();
    }

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.OK, span.status());
    assertEquals("msg_01Str3amXq7bYmFtTf3nZL4s", map(span.outputs()).get("id"));
  }

  @Test
  void aStreamCutShortIsAnErrorSpanWithTheSdksExceptionAndThePartialText() throws Exception {
    server.enqueue("/v1/messages", Reply.sse("message-stream").cutAfter(4));

    StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(question());
    StringBuilder read = new StringBuilder();
    RuntimeException thrown = assertThrows(RuntimeException.class,
        () -> stream.stream().forEach(event -> read.append(text(event))));
    stream.close();

    assertEquals("https://github.com/search", read.toString());
    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertSame(thrown, span.error());
    assertEquals("https://github.com/search", block(span, 0).get("text"));
  }

  @Test
  void anErrorEventMidStreamIsAnErrorSpan() throws Exception {
    server.enqueue("/v1/messages", Reply.sse("message-stream-overloaded"));

    RuntimeException thrown;
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(question())) {
      thrown = assertThrows(RuntimeException.class, () -> stream.stream().forEach(event -> { }));
    }

    assertTrue(thrown.getMessage().contains("Overloaded"), thrown.getMessage());
    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertSame(thrown, span.error());
  }

  @Test
  void aStreamTheAppDropsUnreadEndsAsAbandonedWhenCollected() throws Exception {
    server.enqueue("/v1/messages", Reply.sse("message-stream"));

    dropAfterOneEvent();

    Span span = nextTraceCollectingGarbage();
    assertEquals(SpanStatus.ERROR, span.status());
    assertNotNull(span.errorJson());
    assertTrue(String.valueOf(span.errorJson().get("message")).contains("abandoned"), span.errorJson().toString());
    assertTrue(AbandonedSpans.watched() >= 0);
  }

  private void dropAfterOneEvent() {
    StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(question());
    stream.stream().iterator().next();
  }
}
