package ai.wandb.agent.export.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceTreeTest {
  private static final SpanRenderer RENDERER = new SpanRenderer() {
    @Override
    public void renderStart(Span span) {
      span.setInputs(Map.of("query", "q"));
      if (span.kind() == SpanKind.LLM) {
        span.setAttribute("gen_ai.provider.name", "openai");
        span.setAttribute("gen_ai.request.model", "gpt-4o-mini");
        span.setAttribute("gen_ai.request.temperature", 0.7);
      }
    }

    @Override
    public void renderEnd(Span span) {}
  };

  @Test
  void everySpanHasTheTenFieldsInOrderAndKindsThePanelKnows() throws Exception {
    Span root = Tracer.start("agent", SpanKind.AGENT, null, RENDERER);
    Span retriever = Tracer.start("search", SpanKind.RETRIEVER, null, RENDERER);
    Tracer.end(retriever, null, new IllegalStateException("no index"));
    Span llm = Tracer.start("llm", SpanKind.LLM, null, RENDERER);
    Tracer.end(llm, null, null);
    Tracer.end(root, null, null);
    for (Span span : List.of(root, retriever, llm)) {
      span.renderEnd();
    }

    Map<String, Object> value = TraceTree.of(root);
    Map<String, Object> rootSpan = Json.parseObject((String) value.get("root_span_dumps"));

    assertEquals(List.of("span_id", "name", "start_time_ms", "end_time_ms", "status_code", "status_message",
        "attributes", "results", "child_spans", "span_kind"), List.copyOf(rootSpan.keySet()));
    assertEquals("AGENT", rootSpan.get("span_kind"));
    assertEquals("SUCCESS", rootSpan.get("status_code"));
    assertNull(rootSpan.get("status_message"));
    Map<?, ?> result = (Map<?, ?>) ((List<?>) rootSpan.get("results")).get(0);
    assertEquals(Map.of("query", "q"), result.get("inputs"));
    assertTrue(result.containsKey("outputs") && result.get("outputs") == null);
    Map<?, ?> search = (Map<?, ?>) ((List<?>) rootSpan.get("child_spans")).get(0);
    assertEquals("TOOL", search.get("span_kind"));
    assertEquals("RETRIEVER", ((Map<?, ?>) search.get("attributes")).get("span_kind"));
    assertEquals("ERROR", search.get("status_code"));
    assertEquals("java.lang.IllegalStateException: no index", search.get("status_message"));
    assertNull(search.get("child_spans"));
    String model = (String) value.get("model_dict_dumps");
    assertEquals(Map.of("_kind", "openai", "model", "gpt-4o-mini", "temperature", 0.7), Json.parseObject(model));
    assertEquals(TraceTree.md5(model).substring(0, 16), value.get("model_hash"));
  }

  @Test
  void theModelHashIsTheMd5PrefixTheReferenceComputed() {
    assertEquals("1ca61c364703a047",
        TraceTree.md5("{\"_kind\": \"openai\", \"model\": \"gpt-4o-mini\", \"temperature\": 0.7}").substring(0, 16));
  }
}
