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
    // As the SDK's Trace.add_child: each child's model under the child's name.
    assertEquals(Map.of("llm", Map.of("_kind", "openai", "model", "gpt-4o-mini", "temperature", 0.7)),
        Json.parseObject(model));
    assertEquals(TraceTree.md5(model).substring(0, 16), value.get("model_hash"));
  }

  @Test
  void theModelHashIsTheMd5PrefixTheReferenceComputed() {
    assertEquals("1ca61c364703a047",
        TraceTree.md5("{\"_kind\": \"openai\", \"model\": \"gpt-4o-mini\", \"temperature\": 0.7}").substring(0, 16));
  }

  /** A LangChain4j-shaped trace: retrieval with an embedding model, then a chat call traced by two layers. */
  static Span layeredTrace() {
    SpanRenderer embedding = renderer(null, "unknown", null, null);
    SpanRenderer chat = renderer("openai", "gpt-4o-mini", 0.2, new ai.wandb.agent.api.Usage(100L, 20L, 120L, null, null));
    Span root = Tracer.start("langchain4j.ai_service.Shop.chat", SpanKind.AGENT, null, RENDERER);
    Span retriever = Tracer.start("langchain4j.retriever", SpanKind.RETRIEVER, null, RENDERER);
    Span embed = Tracer.start("langchain4j.embedding", SpanKind.EMBEDDING, null, embedding);
    Tracer.end(embed, null, null);
    Tracer.end(retriever, null, null);
    Span outer = Tracer.start("langchain4j.chat", SpanKind.LLM, null, chat);
    Span inner = Tracer.start("openai.chat.completions.create", SpanKind.LLM, null, chat);
    Tracer.end(inner, null, null);
    Tracer.end(outer, null, null);
    Tracer.end(root, null, null);
    for (Span span : List.of(root, retriever, embed, outer, inner)) {
      span.renderEnd();
    }
    return root;
  }

  private static SpanRenderer renderer(String provider, String model, Double temperature, ai.wandb.agent.api.Usage usage) {
    return new SpanRenderer() {
      @Override
      public void renderStart(Span span) {
        if (provider != null) {
          span.setAttribute("gen_ai.provider.name", provider);
        }
        span.setAttribute("gen_ai.request.model", model);
        if (temperature != null) {
          span.setAttribute("gen_ai.request.temperature", temperature);
        }
      }

      @Override
      public void renderEnd(Span span) {
        if (usage != null) {
          span.setAttribute("gen_ai.response.model", model + "-2024-07-18");
          span.setUsage(usage);
        }
      }
    };
  }

  @Test
  void theModelDictNamesEveryModelUnderTheSpanThatCalledItAsTheSdksAddChildDoes() throws Exception {
    Map<String, Object> value = TraceTree.of(layeredTrace());

    Map<String, Object> chat = Map.of("_kind", "openai", "model", "gpt-4o-mini", "temperature", 0.2);
    Map<String, Object> outer = new java.util.LinkedHashMap<>(chat);
    outer.put("openai.chat.completions.create", chat);
    assertEquals(Map.of(
        "langchain4j.retriever", Map.of("langchain4j.embedding", Map.of("_kind", "langchain4j.embedding", "model", "unknown")),
        "langchain4j.chat", outer), Json.parseObject((String) value.get("model_dict_dumps")));
  }

  @Test
  void aModelCallTracedByTwoLayersCountsItsTokensOnceInTheRowAndTheTotals() {
    TraceMetrics metrics = TraceMetrics.of(layeredTrace());
    assertEquals(120L, metrics.row().get("usage/total_tokens"));
    assertEquals(100L, metrics.row().get("usage/input_tokens"));
    RunTotals totals = new RunTotals();
    totals.add(metrics);
    totals.add(metrics);
    assertEquals(240L, totals.summary().get("total/total_tokens"));
  }
}
