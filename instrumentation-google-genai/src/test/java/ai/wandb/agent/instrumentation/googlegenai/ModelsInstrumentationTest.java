package ai.wandb.agent.instrumentation.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.gemini.GeminiTestServer.Reply;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Content;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Part;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelsInstrumentationTest extends GeminiScenario {
  @Test
  void generateContentIsOneLlmSpanWithTheRequestAsSentTheAnswerAndUsage() throws Exception {
    server.enqueue("generateContent", Reply.recorded("generate-content"));

    GenerateContentResponse response = client.models.generateContent(MODEL, "find java yaml parsers", config());

    assertEquals("https://github.com/search?q=yaml+parser+language%3AJava&type=repositories", response.text());
    Span span = agent.nextTrace(WAIT);
    assertEquals("google_genai.models.generate_content", span.name());
    assertEquals(SpanKind.LLM, span.kind());
    assertEquals(SpanStatus.OK, span.status());
    assertTrue(span.children().isEmpty(), "one call, one span: " + span.children());
    Map<String, Object> inputs = map(span.inputs());
    assertEquals(MODEL, inputs.get("model"));
    assertEquals("find java yaml parsers", firstText(Map.of("candidates", List.of(Map.of("content",
        list(inputs.get("contents")).get(0))))));
    assertEquals("You write GitHub search URLs.",
        map(list(map(inputs.get("systemInstruction")).get("parts")).get(0)).get("text"));
    assertEquals(200, ((Number) map(inputs.get("generationConfig")).get("maxOutputTokens")).intValue());
    assertEquals(response.text(), firstText(span.outputs()));
    assertEquals("STOP", map(list(map(span.outputs()).get("candidates")).get(0)).get("finishReason"));

    Map<String, Object> attributes = span.attributes();
    assertEquals("chat", attributes.get("gen_ai.operation.name"));
    assertEquals("gcp.gemini", attributes.get("gen_ai.provider.name"));
    assertEquals(MODEL, attributes.get("gen_ai.request.model"));
    assertEquals(MODEL, attributes.get("gen_ai.response.model"));
    // What the SDK kept of the response (1.0.0 drops the id on the Developer API).
    assertEquals(response.responseId().orElse(null), attributes.get("gen_ai.response.id"));
    assertEquals(List.of("STOP"), attributes.get("gen_ai.response.finish_reasons"));
    assertEquals(200, ((Number) attributes.get("gen_ai.request.max_tokens")).intValue());
    assertEquals(0.2, ((Number) attributes.get("gen_ai.request.temperature")).doubleValue(), 1e-6);

    assertEquals(Map.of("input_tokens", 21L, "output_tokens", 43L, "total_tokens", 64L, "cached_input_tokens", 12L,
        "reasoning_tokens", 25L), span.usage().toJson());

    String sent = server.requests().get(0).body();
    assertTrue(sent.contains("find java yaml parsers"), sent);
    assertTrue(server.requests().get(0).path().endsWith("/models/" + MODEL + ":generateContent"),
        server.requests().get(0).path());
  }

  @Test
  void contentAndListOverloadsMakeOneSpanEach() throws Exception {
    server.enqueue("generateContent", Reply.recorded("generate-content"));
    server.enqueue("generateContent", Reply.recorded("generate-content"));

    client.models.generateContent(MODEL, Content.fromParts(Part.fromText("one")), null);
    client.models.generateContent(MODEL, List.of(Content.builder().role("user").parts(List.of(Part.fromText("two")))
        .build()), null);

    for (String text : new String[] {"one", "two"}) {
      Span span = agent.nextTrace(WAIT);
      assertEquals("google_genai.models.generate_content", span.name());
      assertTrue(span.children().isEmpty());
      assertTrue(String.valueOf(span.inputs()).contains(text), String.valueOf(span.inputs()));
      assertNull(map(span.inputs()).get("generationConfig"));
    }
  }

  @Test
  void embedContentIsAnEmbeddingSpanWithVectorLengths() throws Exception {
    server.enqueue("batchEmbedContents", Reply.recorded("batch-embed-contents"));
    server.enqueue("embedContent", Reply.recorded("embed-content"));

    EmbedContentResponse response = client.models.embedContent("text-embedding-004", "yaml parser", null);

    assertEquals(8, response.embeddings().get().get(0).values().get().size());
    Span span = agent.nextTrace(WAIT);
    assertEquals("google_genai.models.embed_content", span.name());
    assertEquals(SpanKind.EMBEDDING, span.kind());
    assertEquals("embeddings", span.attributes().get("gen_ai.operation.name"));
    assertEquals("text-embedding-004", span.attributes().get("gen_ai.request.model"));
    assertTrue(String.valueOf(span.inputs()).contains("yaml parser"));
    Map<String, Object> embedding = map(list(map(span.outputs()).get("embeddings")).get(0));
    assertEquals(8, embedding.get("dimensions"));
    assertNull(embedding.get("values"));
  }

  @Test
  void countTokensIsASpanWithTheCount() throws Exception {
    server.enqueue("countTokens", Reply.recorded("count-tokens"));

    CountTokensResponse response = client.models.countTokens(MODEL, "find java yaml parsers", null);

    assertEquals(21, response.totalTokens().get());
    Span span = agent.nextTrace(WAIT);
    assertEquals("google_genai.models.count_tokens", span.name());
    assertEquals("count_tokens", span.attributes().get("gen_ai.operation.name"));
    assertEquals(21, ((Number) map(span.outputs()).get("totalTokens")).intValue());
    assertNull(span.usage(), "counting tokens uses none");
  }

  @Test
  void apiErrorsAreErrorSpansWithTheExceptionTheAppGot() throws Exception {
    server.enqueue("generateContent", Reply.error(429, "RESOURCE_EXHAUSTED",
        "Resource has been exhausted (e.g. check quota)."));
    server.enqueue("generateContent", Reply.error(500, "INTERNAL", "An internal error has occurred."));
    server.enqueue("generateContent", Reply.error(403, "PERMISSION_DENIED",
        "Method doesn't allow unregistered callers."));

    for (int code : new int[] {429, 500, 403}) {
      ApiException thrown = assertThrows(ApiException.class,
          () -> client.models.generateContent(MODEL, "find java yaml parsers", null));
      assertEquals(code, thrown.code());
      Span span = agent.nextTrace(WAIT);
      assertEquals(SpanStatus.ERROR, span.status());
      assertSame(thrown, span.error());
      assertEquals(code, span.attributes().get("http.response.status_code"));
    }
  }
}
