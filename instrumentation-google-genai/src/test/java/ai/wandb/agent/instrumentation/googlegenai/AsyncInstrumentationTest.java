package ai.wandb.agent.instrumentation.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.testing.gemini.GeminiTestServer.Reply;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.GenerateContentResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncInstrumentationTest extends GeminiScenario {
  @Test
  void anAsyncCallIsASpanUnderTheCallersSpanEndedWhenTheFutureCompletes() throws Exception {
    server.enqueue("generateContent", Reply.recorded("generate-content"));

    Span step = Tracer.start("app.step", SpanKind.CHAIN, null, null);
    CompletableFuture<GenerateContentResponse> future =
        client.async.models.generateContent(MODEL, "find java yaml parsers", config());
    String text = future.thenApply(GenerateContentResponse::text).get(10, TimeUnit.SECONDS);
    Tracer.end(step, null, null);

    assertEquals("https://github.com/search?q=yaml+parser+language%3AJava&type=repositories", text);
    Span root = agent.nextTrace(WAIT);
    assertEquals("app.step", root.name());
    assertEquals(1, root.children().size(), root.children().toString());
    Span call = root.children().get(0);
    assertEquals("google_genai.models.generate_content", call.name());
    assertEquals(SpanStatus.OK, call.status());
    assertEquals(text, firstText(call.outputs()));
    assertEquals(64L, call.usage().totalTokens());
    assertEquals(CompletableFuture.class, future.getClass());
  }

  @Test
  void anAsyncStreamIsFollowedUntilTheAppHasReadIt() throws Exception {
    server.enqueue("streamGenerateContent", Reply.sse("stream-generate-content"));

    StringBuilder text = new StringBuilder();
    try (ResponseStream<GenerateContentResponse> stream =
        client.async.models.generateContentStream(MODEL, "find java yaml parsers", null).get(10, TimeUnit.SECONDS)) {
      for (GenerateContentResponse chunk : stream) {
        text.append(chunk.text());
      }
    }

    Span span = agent.nextTrace(WAIT);
    assertEquals("google_genai.models.generate_content_stream", span.name());
    assertEquals(SpanStatus.OK, span.status());
    assertEquals(text.toString(), firstText(span.outputs()));
    assertEquals(64L, span.usage().totalTokens());
  }

  @Test
  void aFailedAsyncCallIsAnErrorSpanWithTheSdksException() throws Exception {
    server.enqueue("generateContent", Reply.error(500, "INTERNAL", "An internal error has occurred."));

    ExecutionException thrown = assertThrows(ExecutionException.class,
        () -> client.async.models.generateContent(MODEL, "find java yaml parsers", null).get(10, TimeUnit.SECONDS));

    ApiException cause = assertInstanceOf(ApiException.class, thrown.getCause());
    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertSame(cause, span.error());
    assertEquals(500, span.attributes().get("http.response.status_code"));
  }
}
