package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.AbandonedSpans;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChatStreamingInstrumentationTest extends OpenAiScenario {
  private static final String STREAMED_TEXT = "https://github.com/search?q=java+yaml+parser";

  @Test
  void aStreamReadToTheEndIsOneSpanWithTheTextRebuiltAndTimeToFirstToken() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));

    String text;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
      text = stream.stream().flatMap(chunk -> chunk.choices().stream())
          .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
    }

    assertEquals(STREAMED_TEXT, text);
    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.chat.completions.create", span.name());
    assertEquals(SpanStatus.OK, span.status());
    assertEquals(STREAMED_TEXT, firstMessage(span).get("content"));
    assertEquals("assistant", firstMessage(span).get("role"));
    assertEquals(List.of("stop"), span.attributes().get("gen_ai.response.finish_reasons"));
    assertEquals("chatcmpl-B9MHDbslfQgvJ7ZBFs8m4aD3xMmQn", span.attributes().get("gen_ai.response.id"));
    assertEquals(Boolean.TRUE, span.attributes().get("gen_ai.request.stream"));
    assertTrue(((Number) span.attributes().get("wandb.time_to_first_token_ms")).doubleValue() >= 0);
    assertTrue(agent.finishedTraces().isEmpty());
  }

  @Test
  void usageIsRecordedWithoutTheAppAskingAndTheAppDoesNotSeeTheExtraChunk() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));

    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
      chunks = stream.stream().collect(Collectors.toList());
    }

    assertTrue(server.requests().get(0).body().contains("\"include_usage\":true"));
    assertEquals(8, chunks.size());
    assertTrue(chunks.stream().allMatch(chunk -> !chunk.choices().isEmpty()));
    Span span = agent.nextTrace(WAIT);
    assertEquals(52L, span.usage().inputTokens());
    assertEquals(6L, span.usage().outputTokens());
    assertEquals(32L, span.usage().cachedInputTokens());
    assertEquals(Boolean.TRUE, span.attributes().get("wandb.stream.usage_requested_by_agent"));
  }

  @Test
  void whenTheAppAsksForUsageItSeesTheUsageChunkAsUsual() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));

    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question()
        .toBuilder().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      chunks = stream.stream().collect(Collectors.toList());
    }

    assertEquals(9, chunks.size());
    assertTrue(chunks.get(8).usage().isPresent());
    Span span = agent.nextTrace(WAIT);
    assertEquals(58L, span.usage().totalTokens());
    assertNull(span.attributes().get("wandb.stream.usage_requested_by_agent"));
  }

  @Test
  void streamedToolCallsAreRebuiltFromTheirFragments() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream-tool-call"));

    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(Tools.withSearchTool(question()))) {
      stream.stream().forEach(chunk -> {});
    }

    Span span = agent.nextTrace(WAIT);
    var call = map(list(firstMessage(span).get("tool_calls")).get(0));
    assertEquals("call_Rk2x0FvD3mWcUq1oZp8Jt5Yh", call.get("id"));
    assertEquals("search_repositories", map(call.get("function")).get("name"));
    assertEquals("{\"query\":\"yaml parser\",\"language\":\"java\"}", map(call.get("function")).get("arguments"));
    assertEquals(List.of("tool_calls"), span.attributes().get("gen_ai.response.finish_reasons"));
  }

  @Test
  void aStreamClosedEarlyEndsTheSpanWithWhatWasRead() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));

    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      chunks.next();
      chunks.next();
    }

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.OK, span.status());
    assertEquals("https://", firstMessage(span).get("content"));
    assertNull(span.usage());
  }

  @Test
  void aStreamCutShortByTheServerIsAnErrorSpanWithThePartialOutput() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream").cutAfter(3));

    assertThrows(RuntimeException.class, () -> {
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
        stream.stream().forEach(chunk -> {});
      }
    });

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertEquals("https://github.com", firstMessage(span).get("content"));
  }

  @Test
  void anAbandonedStreamEndsItsSpanWhenCollected() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));

    readOneChunkAndDropTheStream();

    Span span = nextTraceCollectingGarbage();
    assertEquals(SpanStatus.ERROR, span.status());
    assertEquals("stream was abandoned without being read to the end or closed", span.errorJson().get("message"));
    assertEquals("assistant", firstMessage(span).get("role"));
  }

  @Test
  void finishedStreamsAreNoLongerWatched() throws Exception {
    int before = AbandonedSpans.watched();
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
      stream.stream().forEach(chunk -> {});
    }
    agent.nextTrace(WAIT);
    assertEquals(before, AbandonedSpans.watched());
    assertFalse(agent.finishedTraces().iterator().hasNext());
  }

  private void readOneChunkAndDropTheStream() {
    StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question());
    stream.stream().iterator().next();
  }
}
