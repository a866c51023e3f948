package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import com.openai.models.responses.ResponseCompactParams;
import org.junit.jupiter.api.Test;

/** Paths that exist only in openai-java 4.x: compacting a conversation. */
class Since4InstrumentationTest extends OpenAiScenario {
  @Test
  void compactingAConversationIsAnLlmSpanWithUsage() throws Exception {
    server.enqueue("/v1/responses/compact", Reply.recorded("response-compact"));

    client.responses().compact(ResponseCompactParams.builder().model("gpt-5.1")
        .previousResponseId("resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b").build());

    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.responses.compact", span.name());
    assertEquals(SpanKind.LLM, span.kind());
    assertEquals("gpt-5.1", span.attributes().get("gen_ai.request.model"));
    assertEquals(1550L, span.usage().totalTokens());
    assertEquals(128L, span.usage().reasoningTokens());
  }
}
