package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ResponsesInstrumentationTest extends OpenAiScenario {
  static ResponseCreateParams request() {
    return ResponseCreateParams.builder()
        .model("gpt-4.1-mini")
        .instructions("You write GitHub search URLs.")
        .input("find java yaml parsers")
        .temperature(0.3)
        .maxOutputTokens(300L)
        .build();
  }

  @Test
  void aResponseIsAnLlmSpanWithInputTokensOutputTokensAndTheirDetails() throws Exception {
    server.enqueue("/v1/responses", Reply.recorded("response"));

    client.responses().create(request());

    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.responses.create", span.name());
    assertEquals(SpanKind.LLM, span.kind());
    assertEquals("gpt-4.1-mini", span.attributes().get("gen_ai.request.model"));
    assertEquals(300L, ((Number) span.attributes().get("gen_ai.request.max_tokens")).longValue());
    assertEquals("find java yaml parsers", map(span.inputs()).get("input"));
    assertEquals("gpt-4.1-mini-2025-04-14", span.attributes().get("gen_ai.response.model"));
    assertEquals(List.of("completed"), span.attributes().get("gen_ai.response.finish_reasons"));
    assertEquals("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", span.attributes().get("gen_ai.response.id"));
    assertEquals(36L, span.usage().inputTokens());
    assertEquals(87L, span.usage().outputTokens());
    assertEquals(123L, span.usage().totalTokens());
    assertEquals(12L, span.usage().cachedInputTokens());
    assertEquals(64L, span.usage().reasoningTokens());
  }

  @Test
  void aStreamedResponseTakesItsOutputAndUsageFromTheCompletedEvent() throws Exception {
    server.enqueue("/v1/responses", Reply.sse("response-stream"));

    long events;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(request())) {
      events = stream.stream().count();
    }

    assertEquals(10, events);
    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.responses.create", span.name());
    assertEquals(SpanStatus.OK, span.status());
    assertEquals("completed", map(span.outputs()).get("status"));
    assertEquals(123L, span.usage().totalTokens());
    assertTrue(span.timeToFirstTokenMillis() >= 0);
  }

  @Test
  void aResponseStreamCutShortKeepsTheTextReadSoFar() throws Exception {
    server.enqueue("/v1/responses", Reply.sse("response-stream").cutAfter(6));

    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(request())) {
      stream.stream().forEach(event -> {});
    } catch (RuntimeException expected) {
      // the connection dropped
    }

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertEquals("https://github.com/search?q=java", map(span.outputs()).get("output_text"));
  }

  @Test
  void anAsyncResponseIsTraced() throws Exception {
    server.enqueue("/v1/responses", Reply.recorded("response"));

    asyncClient.responses().create(request()).get(10, TimeUnit.SECONDS);

    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.responses.create", span.name());
    assertEquals(123L, span.usage().totalTokens());
  }
}
