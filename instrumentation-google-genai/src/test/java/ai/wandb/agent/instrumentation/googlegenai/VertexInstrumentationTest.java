package ai.wandb.agent.instrumentation.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.testing.gemini.GeminiTestServer.Reply;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** A Vertex AI client (project, location, credentials) is provider {@code gcp.vertex_ai}. */
class VertexInstrumentationTest extends GeminiScenario {
  private Client vertex() {
    GoogleCredentials credentials =
        GoogleCredentials.create(new AccessToken("ya29.test", new Date(System.currentTimeMillis() + 3_600_000L)));
    return Client.builder().vertexAI(true).project("acme-prod").location("us-central1")
        .credentials(credentials).httpOptions(httpOptions(server.baseUrl())).build();
  }

  @Test
  void aVertexAiClientsCallsAreVertexAiSpans() throws Exception {
    server.enqueue("generateContent", Reply.recorded("generate-content"));
    Client vertex = vertex();

    String text = vertex.models.generateContent(MODEL, "find java yaml parsers", null).text();

    Span span = agent.nextTrace(WAIT);
    assertEquals(text, firstText(span.outputs()));
    assertEquals("gcp.vertex_ai", span.attributes().get("gen_ai.provider.name"));
    assertEquals(MODEL, span.attributes().get("gen_ai.request.model"));
    assertEquals(64L, span.usage().totalTokens());
    assertTrue(server.requests().get(0).path().endsWith(
        "/projects/acme-prod/locations/us-central1/publishers/google/models/" + MODEL + ":generateContent"),
        server.requests().get(0).path());
  }

  @Test
  void vertexAiEmbeddingsCountTheirTokens() throws Exception {
    server.enqueue("predict", Reply.recorded("vertex-predict-embeddings"));

    int dimensions = vertex().models.embedContent("text-embedding-005", "yaml parser", null)
        .embeddings().get().get(0).values().get().size();

    assertEquals(8, dimensions);
    Span span = agent.nextTrace(WAIT);
    assertEquals("google_genai.models.embed_content", span.name());
    assertEquals("gcp.vertex_ai", span.attributes().get("gen_ai.provider.name"));
    assertEquals(4L, span.usage().inputTokens());
    assertEquals(8, map(list(map(span.outputs()).get("embeddings")).get(0)).get("dimensions"));
  }
}
