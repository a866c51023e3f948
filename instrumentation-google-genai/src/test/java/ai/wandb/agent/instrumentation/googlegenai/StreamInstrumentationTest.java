package ai.wandb.agent.instrumentation.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.gemini.GeminiTestServer.Reply;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentResponse;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamInstrumentationTest extends GeminiScenario {
  @Test
  void aStreamReadToTheEndIsFoldedIntoOneAnswerWithUsageAndTimeToFirstToken() throws Exception {
    server.enqueue("streamGenerateContent", Reply.sse("stream-generate-content"));

    StringBuilder text = new StringBuilder();
    int chunks = 0;
    try (ResponseStream<GenerateContentResponse> stream =
        client.models.generateContentStream(MODEL, "find java yaml parsers", config())) {
      for (GenerateContentResponse chunk : stream) {
        text.append(chunk.text());
        chunks++;
      }
    }

    assertEquals(3, chunks);
    assertEquals("https://github.com/search?q=yaml+parser+language%3AJava&type=repositories", text.toString());
    Span span = agent.nextTrace(WAIT);
    assertEquals("google_genai.models.generate_content_stream", span.name());
    assertEquals(SpanKind.LLM, span.kind());
    assertEquals(SpanStatus.OK, span.status());
    assertEquals(text.toString(), firstText(span.outputs()));
    assertEquals("STOP", map(list(map(span.outputs()).get("candidates")).get(0)).get("finishReason"));
    assertEquals(Boolean.TRUE, map(span.inputs()).get("stream"));
    assertEquals(Boolean.TRUE, span.attributes().get("gen_ai.request.stream"));
    assertEquals(3, span.attributes().get("wandb.stream.chunks"));
    assertTrue(span.timeToFirstTokenMillis() >= 0);
    assertEquals(Map.of("input_tokens", 21L, "output_tokens", 43L, "total_tokens", 64L, "reasoning_tokens", 25L),
        span.usage().toJson());
    assertEquals("alt=sse", server.requests().get(0).query());
  }

  @Test
  void aStreamClosedEarlyEndsWithWhatWasRead() throws Exception {
    server.enqueue("streamGenerateContent", Reply.sse("stream-generate-content"));

    try (ResponseStream<GenerateContentResponse> stream =
        client.models.generateContentStream(MODEL, "find java yaml parsers", null)) {
      stream.iterator().next();
    }

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.OK, span.status());
    assertEquals("https://github.com/search?q=", firstText(span.outputs()));
  }

  @Test
  void aStreamCutShortIsAnErrorSpanWithTheExceptionTheAppGot() throws Exception {
    server.enqueue("streamGenerateContent", Reply.sse("stream-generate-content").cutAfter(1));

    ResponseStream<GenerateContentResponse> stream =
        client.models.generateContentStream(MODEL, "find java yaml parsers", null);
    Iterator<GenerateContentResponse> chunks = stream.iterator();
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> {
      while (chunks.hasNext()) {
        chunks.next();
      }
    });

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertSame(thrown, span.error());
    stream.close();
  }

  @Test
  void aStreamDroppedUnreadEndsAsAbandonedWhenCollected() throws Exception {
    server.enqueue("streamGenerateContent", Reply.sse("stream-generate-content"));

    client.models.generateContentStream(MODEL, "find java yaml parsers", null);

    Span span = nextTraceCollectingGarbage();
    assertEquals(SpanStatus.ERROR, span.status());
    assertEquals(StreamCalls.ABANDONED, span.errorJson().get("message"));
  }
}
