package ai.wandb.agent.export.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeaveCallsTest {
  private final WeaveCalls calls = new WeaveCalls("1.2.3");

  private static SpanRenderer responses(Map<String, Object> output, Usage usage) {
    return new SpanRenderer() {
      @Override
      public void renderStart(Span span) {
        span.setInputs("plain text");
        span.setAttribute("gen_ai.request.model", "gpt-4o");
      }

      @Override
      public void renderEnd(Span span) {
        span.setOutputs(output);
        span.setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06");
        span.setUsage(usage);
      }
    };
  }

  @Test
  void usageUsesTheTokenFamilyTheProviderAnsweredWith() {
    Span span = Tracer.start("openai.responses.create", SpanKind.LLM, null,
        responses(Map.of("object", "response", "usage", Map.of("input_tokens", 5, "output_tokens", 2)),
            new Usage(5L, 2L, 7L, null, null)));
    Tracer.end(span, null, null);
    span.renderEnd();

    Map<String, Object> end = calls.end(span);
    Map<?, ?> usage = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) end.get("summary")).get("usage")).get("gpt-4o-2024-08-06");
    assertEquals(Map.of("requests", 1L, "input_tokens", 5L, "output_tokens", 2L, "total_tokens", 7L), usage);
    assertNull(end.get("exception"));
    Map<String, Object> start = calls.start(span);
    assertEquals(Map.of("input", "plain text"), start.get("inputs"));
    Map<?, ?> weave = (Map<?, ?>) ((Map<?, ?>) start.get("attributes")).get("weave");
    assertEquals("llm", weave.get("kind"));
    assertEquals("1.2.3", weave.get("client_version"));
    assertEquals("openai.responses.create", start.get("display_name"));
  }

  @Test
  void anErrorIsThePythonSdksExceptionString() throws Exception {
    Span span = Tracer.start("tool", SpanKind.TOOL, null, null);
    Tracer.end(span, null, new IllegalArgumentException("bad input"));
    span.renderEnd();

    Map<String, Object> exception = Json.parseObject(WeaveCalls.exception(span));
    assertEquals("java.lang.IllegalArgumentException", exception.get("type"));
    assertEquals("bad input", exception.get("message"));
    Map<?, ?> frame = (Map<?, ?>) ((List<?>) exception.get("traceback")).get(0);
    assertTrue(((String) frame.get("function_name")).contains("anErrorIsThePythonSdksExceptionString"), frame.toString());
    assertEquals(Map.of("success", 0L, "error", 1L), WeaveCalls.summary(span).get("status_counts"));
  }
}
