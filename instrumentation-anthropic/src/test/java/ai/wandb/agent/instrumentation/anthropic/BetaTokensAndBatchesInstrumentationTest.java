package ai.wandb.agent.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.anthropic.AnthropicTestServer.Reply;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.beta.messages.BetaRawMessageStreamEvent;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.batches.BatchCreateParams;
import com.anthropic.models.messages.batches.BatchRetrieveParams;
import com.anthropic.models.messages.batches.MessageBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BetaTokensAndBatchesInstrumentationTest extends AnthropicScenario {
  private static com.anthropic.models.beta.messages.MessageCreateParams betaQuestion() {
    return com.anthropic.models.beta.messages.MessageCreateParams.builder()
        .model(MODEL)
        .maxTokens(1024L)
        .addUserMessage("find java yaml parsers")
        .addBeta("token-efficient-tools-2025-02-19")
        .build();
  }

  @Test
  void betaMessagesAreLlmSpansLikeMessages() throws Exception {
    server.enqueue("/v1/messages", Reply.recorded("message"));
    server.enqueue("/v1/messages", Reply.sse("message-stream"));

    client.beta().messages().create(betaQuestion());
    try (StreamResponse<BetaRawMessageStreamEvent> stream = client.beta().messages().createStreaming(betaQuestion())) {
      stream.stream().forEach(event -> {});
    }

    assertEquals("token-efficient-tools-2025-02-19", server.requests().get(0).beta());
    Span span = agent.nextTrace(WAIT);
    assertEquals("anthropic.beta.messages.create", span.name());
    assertEquals(SpanKind.LLM, span.kind());
    assertEquals("chat", span.attributes().get("gen_ai.operation.name"));
    assertEquals(188L, span.usage().cacheCreationInputTokens());
    Span streamed = agent.nextTrace(WAIT);
    assertEquals("anthropic.beta.messages.create", streamed.name());
    assertEquals("https://github.com/search?q=java+yaml+parser&type=repositories", block(streamed, 0).get("text"));
    assertEquals(15L, streamed.usage().outputTokens());
  }

  @Test
  void countingTokensIsAStepWithTheCountAndNoUsage() throws Exception {
    server.enqueue("/v1/messages/count_tokens", Reply.recorded("count-tokens"));

    long count = client.messages().countTokens(MessageCountTokensParams.builder()
        .model(MODEL).addUserMessage("find java yaml parsers").build()).inputTokens();

    assertEquals(2095L, count);
    Span span = agent.nextTrace(WAIT);
    assertEquals("anthropic.messages.count_tokens", span.name());
    assertEquals(SpanKind.CHAIN, span.kind());
    assertEquals(MODEL, map(span.inputs()).get("model"));
    assertEquals(2095, ((Number) span.attributes().get("anthropic.count_tokens.input_tokens")).intValue());
    assertNull(span.usage());
  }

  @Test
  void aBatchCreateAndEachRetrieveAreSpansWithTheBatchsState() throws Exception {
    server.enqueue("/v1/messages/batches", Reply.recorded("batch-in-progress"));
    server.enqueue("/v1/messages/batches/msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d", Reply.recorded("batch-ended"));

    MessageBatch created = client.messages().batches().create(BatchCreateParams.builder()
        .addRequest(BatchCreateParams.Request.builder()
            .customId("yaml")
            .params(BatchCreateParams.Request.Params.builder()
                .model(MODEL).maxTokens(1024L).addUserMessage("find java yaml parsers").build())
            .build())
        .build());
    MessageBatch retrieved = client.messages().batches().retrieve(
        BatchRetrieveParams.builder().messageBatchId(created.id()).build());

    assertEquals(MessageBatch.ProcessingStatus.ENDED, retrieved.processingStatus());
    Span create = agent.nextTrace(WAIT);
    assertEquals("anthropic.messages.batches.create", create.name());
    assertEquals(SpanStatus.OK, create.status());
    Map<String, Object> request = map(list(map(create.inputs()).get("requests")).get(0));
    assertEquals("yaml", request.get("custom_id"));
    assertEquals("msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d", create.attributes().get("anthropic.batch.id"));
    assertEquals("in_progress", create.attributes().get("anthropic.batch.processing_status"));
    Span retrieve = agent.nextTrace(WAIT);
    assertEquals("anthropic.messages.batches.retrieve", retrieve.name());
    assertEquals("msgbatch_01HkcTjaV5uDC8jWR4ZsDV8d", map(retrieve.inputs()).get("message_batch_id"));
    assertEquals("ended", retrieve.attributes().get("anthropic.batch.processing_status"));
    assertEquals(List.of(), List.copyOf(agent.finishedTraces()));
    assertTrue(retrieve.usage() == null);
  }
}
