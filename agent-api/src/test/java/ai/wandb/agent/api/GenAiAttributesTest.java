package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GenAiAttributesTest {
  /** An ended span, as renderers see it on the exporter thread; none is left open for other tests. */
  private static Span endedSpan() {
    Span span = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(span, null, null);
    return span;
  }

  @Test
  void requestParametersBecomeGenAiAttributesAndAbsentOnesStayAbsent() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", "gpt-4o-mini");
    body.put("temperature", 0.2);
    body.put("max_output_tokens", 300);
    body.put("stop", List.of("END"));
    Span span = endedSpan();

    GenAiAttributes.setRequestAttributes(span, body);

    assertEquals("gpt-4o-mini", span.attributes().get("gen_ai.request.model"));
    assertEquals(0.2, span.attributes().get("gen_ai.request.temperature"));
    assertEquals(300, span.attributes().get("gen_ai.request.max_tokens"));
    assertEquals(List.of("END"), span.attributes().get("gen_ai.request.stop_sequences"));
    assertFalse(span.attributes().containsKey("gen_ai.request.seed"));
  }

  @Test
  void theChatCompletionsTokenLimitWinsOverTheOlderOne() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("max_tokens", 100);
    body.put("max_completion_tokens", 200);
    Span span = endedSpan();

    GenAiAttributes.setRequestAttributes(span, body);

    assertEquals(200, span.attributes().get("gen_ai.request.max_tokens"));
  }
}
