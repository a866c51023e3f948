package ai.wandb.agent.export.wandb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.Usage;
import ai.wandb.agent.export.Exporter;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.TraceJson;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.http.UrlConnectionTransport;
import ai.wandb.agent.export.run.RunSettings;
import ai.wandb.agent.export.run.RunSink;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.weave.WeaveSink;
import ai.wandb.agent.testing.wandb.Fault;
import ai.wandb.agent.testing.wandb.RecordedRun;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import ai.wandb.agent.testing.wandb.WeaveCall;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A nested trace made with the real Tracer, exported by the real sinks to the strict test server. */
class NestedTraceToWandbTest {
  @TempDir
  Path spoolDir;

  private final WandbTestServer server = WandbTestServer.start();

  @AfterEach
  void stop() {
    Tracer.setListener(null);
    server.close();
  }

  @Test
  void aNestedTraceBecomesWeaveCallsAndOneRunHistoryRowWithTheSameTree() throws Exception {
    Exporter exporter = exporter(List.of(weaveSink(), runSink()));

    Span root = agentTrace();
    exporter.shutdown(10000);

    Map<String, Object> expected = shape(TraceJson.tree(root), "children");
    assertEquals(expected, weaveTree(server.calls()));

    RecordedRun run = server.runs().get(0);
    assertEquals(1, server.runs().size());
    Map<String, Object> row = run.history().get(0);
    Map<?, ?> trace = (Map<?, ?>) row.get("trace");
    assertEquals("wb_trace_tree", trace.get("_type"));
    assertEquals(expected, shape(Json.parseObject((String) trace.get("root_span_dumps")), "child_spans"));
    assertEquals(16, ((String) trace.get("model_hash")).length());
    assertEquals(30L, longs(row.get("usage/total_tokens")));
    assertEquals(1L, longs(row.get("error")));
    assertEquals(0L, longs(row.get("_step")));
    assertEquals(1L, longs(run.summary().get("total/traces")));
    assertEquals(List.of("gpt-4o-mini"), run.config().get("models"));
    assertTrue(run.complete());
    assertEquals(0L, run.exitCode());
    assertTrue(run.events().get(0).containsKey("system.jvm.heap.usedMB"), run.events().toString());
  }

  @Test
  void weaveCallsCarryUsageByResponseModelKindsAndTheException() throws Exception {
    Exporter exporter = exporter(List.of(weaveSink()));

    agentTrace();
    exporter.shutdown(10000);

    Map<String, WeaveCall> byOp = new LinkedHashMap<>();
    server.calls().forEach(call -> byOp.put(call.op(), call));
    WeaveCall llm = byOp.get("openai.chat.completions.create");
    assertEquals(Map.of("gpt-4o-mini-2024-07-18", Map.of("requests", 1L, "prompt_tokens", 20L,
        "completion_tokens", 10L, "total_tokens", 30L)), longs(llm.summary().get("usage")));
    assertEquals("llm", ((Map<?, ?>) llm.attributes().get("weave")).get("kind"));
    assertEquals("chat gpt-4o-mini", llm.start().get("display_name"));
    assertEquals("user", ((Map<?, ?>) ((List<?>) llm.inputs().get("messages")).get(0)).get("role"));
    WeaveCall agent = byOp.get("agent.run");
    assertEquals(llm.summary().get("usage"), agent.summary().get("usage"));
    assertEquals(Map.of("success", 2L, "error", 1L), longs(agent.summary().get("status_counts")));
    WeaveCall tool = byOp.get("tool.lookup");
    assertTrue(tool.exception().contains("\"type\":\"IllegalStateException\",\"qualified_type\":\"java.lang.IllegalStateException\""),
        tool.exception());
    assertNull(llm.exception());
    assertEquals(Map.of("test-entity/agent-tests", 3L), countByProject(server.calls()));
  }

  @Test
  void aCallIsVisibleWhileItsSpanRuns() throws Exception {
    Exporter exporter = exporter(List.of(weaveSink()));

    Span running = Tracer.start("agent.run", SpanKind.AGENT, "question", RENDERER);
    long deadline = System.currentTimeMillis() + 10000;
    while (server.calls().isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, server.calls().size());
    assertNull(server.calls().get(0).end(), "started, not ended yet");
    Tracer.end(running, "answer", null);
    exporter.shutdown(10000);

    assertNotNull(server.calls().get(0).end());
    assertEquals(1, server.calls().size());
  }

  @Test
  void whenTheServerAsksForCallsCompleteTheSinkSwitchesAndLosesNothing() throws Exception {
    server.requireCallsComplete();
    Exporter exporter = exporter(List.of(weaveSink()));

    Span root = agentTrace();
    exporter.shutdown(10000);

    assertEquals(shape(TraceJson.tree(root), "children"), weaveTree(server.calls()));
    assertTrue(server.batches("calls_complete") >= 1);
    assertEquals(0, server.batches("upsert_batch"));
  }

  @Test
  void retryableFailuresAreRetriedAndTheDataArrivesOnce() throws Exception {
    server.failNext(WandbTestServer.Api.WEAVE, Fault.retryAfter(429, 0), Fault.status(503))
        .failNext(WandbTestServer.Api.FILE_STREAM, Fault.dropConnection())
        .failNext(WandbTestServer.Api.GRAPHQL, Fault.status(502));
    Exporter exporter = exporter(List.of(weaveSink(), runSink()));

    agentTrace();
    exporter.shutdown(20000);

    assertEquals(3, server.calls().size());
    assertEquals(1, server.runs().get(0).history().size());
    assertTrue(server.runs().get(0).complete());
  }

  private Exporter exporter(List<ai.wandb.agent.export.Sink> sinks) {
    Exporter exporter = new Exporter(sinks, 64, 20);
    Tracer.setListener(exporter);
    return exporter;
  }

  private WandbSession session() {
    WandbHttp http = new WandbHttp(new UrlConnectionTransport(), WandbTestServer.API_KEY, "test", millis -> { }, 5000);
    return new WandbSession(http, server.apiUrl(), server.traceUrl(), "agent-tests", null);
  }

  private WeaveSink weaveSink() {
    return new WeaveSink(session(), "test", 50, 1000, new Spool(spoolDir.resolve("weave"), 1 << 20), false, null);
  }

  private RunSink runSink() {
    RunSettings settings = new RunSettings("nested", null, List.of("java"), null, "host-1", "Main");
    return new RunSink(session(), new RunInfo("run12345", "nested"), settings, "test", () -> 0, 50, 100,
        System.currentTimeMillis(), spoolDir.resolve("run"), 1 << 20);
  }

  /** agent.run → (openai.chat.completions.create, tool.lookup failing). */
  private static Span agentTrace() {
    Span root = Tracer.start("agent.run", SpanKind.AGENT, "question", RENDERER);
    Span llm = Tracer.start("openai.chat.completions.create", SpanKind.LLM, "llm", RENDERER);
    Tracer.end(llm, "completion", null);
    Span tool = Tracer.start("tool.lookup", SpanKind.TOOL, "tool", RENDERER);
    Tracer.end(tool, null, new IllegalStateException("lookup failed"));
    Tracer.end(root, "answer", null);
    return root;
  }

  private static final SpanRenderer RENDERER = new SpanRenderer() {
    @Override
    public void renderStart(Span span) {
      if (span.kind() == SpanKind.LLM) {
        span.setInputs(Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("role", "user", "content", "hi"))));
        span.setAttribute("gen_ai.operation.name", "chat");
        span.setAttribute("gen_ai.request.model", "gpt-4o-mini");
        span.setAttribute("gen_ai.request.temperature", 0.2);
      } else {
        span.setInputs(Map.of("input", String.valueOf(span.request())));
      }
    }

    @Override
    public void renderEnd(Span span) {
      if (span.kind() == SpanKind.LLM) {
        span.setOutputs(Map.of("model", "gpt-4o-mini-2024-07-18", "choices", List.of(),
            "usage", Map.of("prompt_tokens", 20, "completion_tokens", 10, "total_tokens", 30)));
        span.setAttribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18");
        span.setUsage(new Usage(20L, 10L, 30L, null, null));
      } else if (span.response() != null) {
        span.setOutputs(Map.of("output", span.response()));
      }
    }
  };

  /** Just names and nesting, children in start order. */
  static Map<String, Object> shape(Map<String, Object> node, String childrenKey) {
    List<Object> children = new ArrayList<>();
    Object list = node.get(childrenKey);
    if (list != null) {
      for (Object child : (List<?>) list) {
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) child;
        children.add(shape(typed, childrenKey));
      }
    }
    return Map.of("name", node.get("name"), "children", children);
  }

  /** Rebuilds the tree from parent links, as Weave's trace view does. */
  static Map<String, Object> weaveTree(List<WeaveCall> calls) {
    WeaveCall root = calls.stream().filter(call -> call.parentId() == null).findFirst().orElseThrow();
    for (WeaveCall call : calls) {
      assertEquals(root.traceId(), call.traceId());
      assertNotNull(call.end(), call.op() + " never ended");
    }
    return weaveNode(root, calls);
  }

  private static Map<String, Object> weaveNode(WeaveCall call, List<WeaveCall> calls) {
    List<Object> children = new ArrayList<>();
    calls.stream().filter(child -> call.id().equals(child.parentId()))
        .sorted(Comparator.comparing(child -> (String) child.start().get("started_at")))
        .forEach(child -> children.add(weaveNode(child, calls)));
    return Map.of("name", call.op(), "children", children);
  }

  /** JSON numbers as the parser returns them (Integer or Long) compared as longs. */
  static Object longs(Object value) {
    if (value instanceof Number number && !(value instanceof Double)) {
      return number.longValue();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((key, item) -> out.put(key, longs(item)));
      return out;
    }
    return value;
  }

  private static Map<String, Long> countByProject(List<WeaveCall> calls) {
    Map<String, Long> counts = new LinkedHashMap<>();
    calls.forEach(call -> counts.merge(call.projectId(), 1L, Long::sum));
    return counts;
  }
}
