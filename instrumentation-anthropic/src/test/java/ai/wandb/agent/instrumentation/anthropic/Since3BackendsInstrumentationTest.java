package ai.wandb.agent.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.anthropic.AnthropicTestServer.Reply;
import com.anthropic.bedrock.backends.BedrockBackend;
import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.foundry.backends.FoundryBackend;
import com.anthropic.vertex.backends.VertexBackend;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import java.util.Date;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** Clients built on the Bedrock, Vertex and Foundry backends (as published with 3.x), pointed at the loopback server. */
class Since3BackendsInstrumentationTest extends AnthropicScenario {
  @Test
  void aBedrockClientsMessagesAreAwsBedrockSpans() throws Exception {
    server.enqueue("/model/" + MODEL + "/invoke", Reply.recorded("message"));
    AnthropicClient bedrock = AnthropicOkHttpClient.builder()
        .backend(BedrockBackend.builder().apiKey("bedrock-test-key").region(Region.US_EAST_1)
            .baseUrl(server.baseUrl()).build())
        .maxRetries(0).build();

    bedrock.messages().create(question());

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.OK, span.status(), String.valueOf(span.errorJson()));
    assertEquals("aws.bedrock", span.attributes().get("gen_ai.provider.name"));
    assertEquals(1024L, span.usage().cachedInputTokens());
  }

  @Test
  void aVertexClientsMessagesAreGcpVertexAiSpans() throws Exception {
    server.enqueue("/v1/projects/demo-project/locations/us-east5/publishers/anthropic/models/" + MODEL + ":rawPredict",
        Reply.recorded("message"));
    AnthropicClient vertex = AnthropicOkHttpClient.builder()
        .backend(VertexBackend.builder().region("us-east5").project("demo-project")
            .googleCredentials(GoogleCredentials.create(
                new AccessToken("vertex-test-token", new Date(System.currentTimeMillis() + 3_600_000))))
            .baseUrl(server.baseUrl()).build())
        .maxRetries(0).build();

    vertex.messages().create(question());

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.OK, span.status(), String.valueOf(span.errorJson()) + server.requests());
    assertEquals("gcp.vertex_ai", span.attributes().get("gen_ai.provider.name"));
  }

  @Test
  void aFoundryClientsMessagesAreAzureAiInferenceSpans() throws Exception {
    server.enqueue("/anthropic/v1/messages", Reply.recorded("message"));
    AnthropicClient foundry = AnthropicOkHttpClient.builder()
        .backend(FoundryBackend.builder().apiKey("foundry-test-key").baseUrl(server.baseUrl()).build())
        .maxRetries(0).build();

    foundry.messages().create(question());

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.OK, span.status(), String.valueOf(span.errorJson()) + server.requests());
    assertEquals("azure.ai.inference", span.attributes().get("gen_ai.provider.name"));
  }
}
