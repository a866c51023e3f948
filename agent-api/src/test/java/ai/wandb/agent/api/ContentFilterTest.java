package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ContentFilterTest {
  @AfterEach
  void reset() {
    Tracer.setCaptureContent(true);
  }

  @Test
  void redactionKeepsStructureAndNumbersButNotText() {
    Object request = Map.of("model", "gpt-4o-mini", "temperature", 0.2,
        "messages", List.of(Map.of("role", "user", "content", "my secret plan")));

    assertEquals(Map.of("model", "gpt-4o-mini", "temperature", 0.2,
        "messages", List.of(Map.of("role", "user", "content", "<redacted: 14 chars>"))),
        ContentFilter.redact(request));
  }

  @Test
  void spansRedactWhatRenderersSetWhenContentCaptureIsOff() {
    Tracer.setCaptureContent(false);
    Span span = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(span, null, null);
    span.setInputs(Map.of("prompt", "hello"));
    span.setOutputs("the answer");

    assertEquals(Map.of("prompt", "<redacted: 5 chars>"), span.inputs());
    assertEquals("<redacted: 10 chars>", span.outputs());
  }
}
