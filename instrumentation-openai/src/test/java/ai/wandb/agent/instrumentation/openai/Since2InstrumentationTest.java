package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStreamEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Paths that exist from openai-java 2.0 on: structured outputs, {@code withOptions}, resuming a response stream. */
class Since2InstrumentationTest extends OpenAiScenario {
  /** The structured answer the model is asked for. */
  public static class SearchUrl {
    public String url;
  }

  @Test
  void aStructuredOutputCallIsTracedWithItsSchemaAndAnswer() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion-structured"));

    StructuredChatCompletion<SearchUrl> completion = client.chat().completions()
        .create(question().toBuilder().responseFormat(SearchUrl.class).build());

    assertEquals("https://github.com/search?q=java+yaml+parser&type=repositories",
        completion.choices().get(0).message().content().orElseThrow().url);
    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.chat.completions.create", span.name());
    assertEquals("json_schema", map(span.attributes().get("gen_ai.request.response_format")).get("type"));
    assertTrue(String.valueOf(firstMessage(span).get("content")).contains("\"url\""));
    assertTrue(agent.finishedTraces().isEmpty());
  }

  @Test
  void aServiceCopiedWithOptionsIsTraced() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));

    client.chat().completions().withOptions(options -> options.timeout(Duration.ofSeconds(3))).create(question());

    assertEquals("openai.chat.completions.create", agent.nextTrace(WAIT).name());
  }

  @Test
  void resumingAResponseStreamIsTraced() throws Exception {
    String id = "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b";
    server.enqueue("/v1/responses/" + id, Reply.sse("response-stream"));

    try (StreamResponse<ResponseStreamEvent> stream =
        client.responses().retrieveStreaming(ResponseRetrieveParams.builder().responseId(id).build())) {
      stream.stream().forEach(event -> {});
    }

    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.responses.retrieve", span.name());
    assertEquals(id, map(span.inputs()).get("response_id"));
    assertEquals(123L, span.usage().totalTokens());
  }
}
