package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import com.openai.core.http.StreamResponse;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddingsAndCompletionsInstrumentationTest extends OpenAiScenario {
  private static EmbeddingCreateParams embeddingRequest() {
    return EmbeddingCreateParams.builder().model("text-embedding-3-small")
        .inputOfArrayOfStrings(List.of("yaml parser", "json parser")).build();
  }

  private static CompletionCreateParams completionRequest() {
    return CompletionCreateParams.builder().model("gpt-3.5-turbo-instruct").prompt("Say this is a test")
        .maxTokens(7L).temperature(0.0).build();
  }

  @Test
  void embeddingsAreAnEmbeddingSpanWithVectorSizesInsteadOfVectors() throws Exception {
    server.enqueue("/v1/embeddings", Reply.recorded("embeddings"));

    client.embeddings().create(embeddingRequest());

    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.embeddings.create", span.name());
    assertEquals(SpanKind.EMBEDDING, span.kind());
    assertEquals("embeddings", span.attributes().get("gen_ai.operation.name"));
    assertEquals("text-embedding-3-small", span.attributes().get("gen_ai.request.model"));
    Map<String, Object> first = map(list(map(span.outputs()).get("data")).get(0));
    assertEquals(4, first.get("dimensions"));
    assertFalse(first.containsKey("embedding"));
    assertEquals(9L, span.usage().inputTokens());
    assertEquals(9L, span.usage().totalTokens());
  }

  @Test
  void base64EmbeddingsShowTheirDimensionToo() throws Exception {
    // openai-java 4.x asks for base64 by default; 1.x when the app says so.
    server.enqueue("/v1/embeddings", Reply.recorded("embeddings-base64"));

    client.embeddings().create(embeddingRequest().toBuilder()
        .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());

    Span span = agent.nextTrace(WAIT);
    for (Object item : list(map(span.outputs()).get("data"))) {
      assertEquals(4, map(item).get("dimensions"));
      assertFalse(map(item).containsKey("embedding"));
    }
  }

  @Test
  void asyncEmbeddingsAreTracedToo() throws Exception {
    server.enqueue("/v1/embeddings", Reply.recorded("embeddings"));

    asyncClient.embeddings().create(embeddingRequest()).get(10, TimeUnit.SECONDS);

    assertEquals("openai.embeddings.create", agent.nextTrace(WAIT).name());
  }

  @Test
  void aLegacyCompletionIsAnLlmSpan() throws Exception {
    server.enqueue("/v1/completions", Reply.recorded("completion"));

    client.completions().create(completionRequest());

    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.completions.create", span.name());
    assertEquals(SpanKind.LLM, span.kind());
    assertEquals(7L, ((Number) span.attributes().get("gen_ai.request.max_tokens")).longValue());
    assertEquals(List.of("length"), span.attributes().get("gen_ai.response.finish_reasons"));
    assertEquals(12L, span.usage().totalTokens());
  }

  @Test
  void aStreamedLegacyCompletionRebuildsItsTextAndHasUsageTheAppDidNotAskFor() throws Exception {
    server.enqueue("/v1/completions", Reply.sse("completion-stream"));

    long chunks;
    try (StreamResponse<Completion> stream = client.completions().createStreaming(completionRequest())) {
      chunks = stream.stream().count();
    }

    assertEquals(4, chunks);
    Span span = agent.nextTrace(WAIT);
    assertEquals(12L, span.usage().totalTokens());
    Map<String, Object> choice = map(list(map(span.outputs()).get("choices")).get(0));
    assertEquals("\n\nThis is indeed a test", choice.get("text"));
    assertEquals("length", choice.get("finish_reason"));
  }
}
