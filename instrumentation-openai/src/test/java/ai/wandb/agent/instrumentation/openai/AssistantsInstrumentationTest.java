package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import com.openai.core.http.StreamResponse;
import com.openai.models.beta.assistants.AssistantStreamEvent;
import com.openai.models.beta.threads.ThreadCreateAndRunParams;
import com.openai.models.beta.threads.runs.RunCreateParams;
import com.openai.models.beta.threads.runs.RunRetrieveParams;
import com.openai.models.beta.threads.runs.RunSubmitToolOutputsParams;
import java.util.List;
import org.junit.jupiter.api.Test;

@SuppressWarnings("deprecation") // the Assistants API is deprecated in newer SDKs, and still used
class AssistantsInstrumentationTest extends OpenAiScenario {
  private static RunCreateParams run() {
    return RunCreateParams.builder().threadId("thread_abc123").assistantId("asst_abc123").build();
  }

  @Test
  void aRunIsAnAgentSpanWithItsStatus() throws Exception {
    server.enqueue("/v1/threads/thread_abc123/runs", Reply.recorded("run-queued"));

    client.beta().threads().runs().create(run());

    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.beta.threads.runs.create", span.name());
    assertEquals(SpanKind.AGENT, span.kind());
    assertEquals("thread_abc123", map(span.inputs()).get("thread_id"));
    assertEquals("asst_abc123", span.attributes().get("openai.assistant.id"));
    assertEquals("queued", span.attributes().get("openai.run.status"));
  }

  @Test
  void pollingARunShowsItsFinalStatusAndUsage() throws Exception {
    server.enqueue("/v1/threads/thread_abc123/runs/run_abc123", Reply.recorded("run-completed"));

    client.beta().threads().runs().retrieve(
        RunRetrieveParams.builder().threadId("thread_abc123").runId("run_abc123").build());

    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.beta.threads.runs.retrieve", span.name());
    assertEquals("completed", span.attributes().get("openai.run.status"));
    assertEquals(579L, span.usage().totalTokens());
  }

  @Test
  void aStreamedRunEndsWithTheRunsFinalStatusUsageAndMessages() throws Exception {
    server.enqueue("/v1/threads/thread_abc123/runs", Reply.sse("run-stream"));

    try (StreamResponse<AssistantStreamEvent> stream = client.beta().threads().runs().createStreaming(run())) {
      stream.stream().forEach(event -> {});
    }

    Span span = agent.nextTrace(WAIT);
    assertEquals("openai.beta.threads.runs.create", span.name());
    assertEquals("completed", span.attributes().get("openai.run.status"));
    assertEquals(List.of("completed"), span.attributes().get("gen_ai.response.finish_reasons"));
    assertEquals(123L, span.usage().inputTokens());
    assertEquals(456L, span.usage().outputTokens());
    assertEquals(1, list(map(span.outputs()).get("messages")).size());
  }

  @Test
  void createAndRunAndSubmitToolOutputsAreTraced() throws Exception {
    server.enqueue("/v1/threads/runs", Reply.recorded("run-queued"));
    server.enqueue("/v1/threads/thread_abc123/runs/run_abc123/submit_tool_outputs", Reply.sse("run-stream"));

    client.beta().threads().createAndRun(ThreadCreateAndRunParams.builder().assistantId("asst_abc123").build());
    try (StreamResponse<AssistantStreamEvent> stream = client.beta().threads().runs().submitToolOutputsStreaming(
        RunSubmitToolOutputsParams.builder().threadId("thread_abc123").runId("run_abc123")
            .addToolOutput(RunSubmitToolOutputsParams.ToolOutput.builder().toolCallId("call_001").output("42").build())
            .build())) {
      stream.stream().forEach(event -> {});
    }

    assertEquals("openai.beta.threads.create_and_run", agent.nextTrace(WAIT).name());
    Span submitted = agent.nextTrace(WAIT);
    assertEquals("openai.beta.threads.runs.submit_tool_outputs", submitted.name());
    assertEquals("run_abc123", map(submitted.inputs()).get("run_id"));
    assertEquals(579L, submitted.usage().totalTokens());
  }
}
