package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.GITHUB_URL_ASSISTANT;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.testing.wandb.Fault;
import ai.wandb.agent.testing.wandb.RecordedRun;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import ai.wandb.agent.testing.wandb.WeaveCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example app under the real agent jar with a W&B key, sending to the strict W&B-compatible server
 * on loopback; the local JSONL (wandb.exporters=file,weave,run) is the reference for what arrived.
 */
class WandbSinksSmokeTest {
  private static final String[] QUESTIONS = {
    "find java libraries for parsing yaml", "rust web frameworks with websockets", "fail-demo please"
  };

  private final WandbTestServer server = WandbTestServer.start().viewerEntity("smoke-team");

  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    server.close();
  }

  private JavaProcess app() {
    return java().withAgent(null).in(dir)
        .env("WANDB_API_KEY", WandbTestServer.API_KEY)
        .env("WANDB_BASE_URL", server.apiUrl())
        .env("WF_TRACE_SERVER_URL", server.traceUrl())
        .env("WANDB_PROJECT", "smoke")
        .jvmArg("-Dwandb.exporters=file,weave,run");
  }

  @Test
  void aRunAndWeaveCallsArriveThatMatchTheLocalTraces() throws Exception {
    JavaProcess.Result result = app()
        .env("WANDB_NAME", "assistant-smoke").env("WANDB_RUN_ID", "smoke123").env("WANDB_RUN_GROUP", "ci")
        .env("WANDB_TAGS", "java,smoke").env("WANDB_NOTES", "from the smoke test")
        .runJar(GITHUB_URL_ASSISTANT, QUESTIONS);
    List<Map<String, Object>> local = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(3, local.size(), result.stderr());

    assertEquals(1, server.runs().size(), result.stderr());
    RecordedRun run = server.runs().get(0);
    assertEquals("smoke-team", run.entity());
    assertEquals("smoke", run.project());
    assertEquals("smoke123", run.name());
    Map<String, Object> first = run.upserts().get(0);
    assertEquals("assistant-smoke", first.get("displayName"));
    assertEquals("ci", first.get("groupName"));
    assertEquals(List.of("java", "smoke"), first.get("tags"));
    assertEquals("from the smoke test", first.get("notes"));
    assertNull(first.get("entity"));

    List<Map<String, Object>> history = run.history();
    assertEquals(3, history.size());
    long tokens = 0;
    for (int i = 0; i < 3; i++) {
      Map<String, Object> row = history.get(i);
      assertEquals(i, ((Number) row.get("_step")).intValue());
      Map<String, Object> tree = object(row.get("trace"));
      assertEquals("wb_trace_tree", tree.get("_type"));
      Map<String, Object> rootSpan = Json.parseObject((String) tree.get("root_span_dumps"));
      assertEquals(shape(local.get(i), "children", "span_id"), shape(rootSpan, "child_spans", "span_id"));
      assertEquals(local.get(i).get("status").equals("OK") ? "SUCCESS" : "ERROR", rootSpan.get("status_code"));
      assertEquals(local.get(i).get("inputs"), object(list(rootSpan.get("results")).get(0)).get("inputs"));
      Object usage = local.get(i).get("usage");
      long expectedTokens = usage == null ? 0 : ((Number) object(usage).get("total_tokens")).longValue();
      assertEquals(expectedTokens, ((Number) row.get("usage/total_tokens")).longValue());
      tokens += expectedTokens;
      assertEquals(local.get(i).get("status").equals("OK") ? 0 : 1, ((Number) row.get("error")).intValue());
      assertTrue(((Number) row.get("latency_ms")).doubleValue() > 0);
    }

    Map<String, Object> summary = run.summary();
    assertEquals(3, ((Number) summary.get("total/traces")).intValue());
    assertEquals(1, ((Number) summary.get("total/errors")).intValue());
    assertEquals(tokens, ((Number) summary.get("total/total_tokens")).longValue());
    assertEquals(2, ((Number) summary.get("_step")).intValue());
    assertEquals("wb_trace_tree", object(summary.get("trace")).get("_type"));

    Map<String, Object> config = run.config();
    assertEquals(List.of("gpt-4o-mini"), config.get("models"));
    assertEquals(0.2, ((Number) object(object(config.get("request_parameters")).get("gpt-4o-mini"))
        .get("temperature")).doubleValue());
    assertEquals("wandb-agent", object(config.get("agent")).get("name"));
    assertNotNull(object(config.get("jvm")).get("version"));
    assertTrue(((String) config.get("main_class")).endsWith("github-url-assistant.jar"), config.toString());

    assertFalse(run.events().isEmpty());
    for (Map<String, Object> sample : run.events()) {
      assertTrue(sample.containsKey("system.jvm.heap.usedMB") && sample.containsKey("system.proc.cpu.threads"), sample.toString());
    }
    assertTrue(((Number) run.events().get(run.events().size() - 1).get("system.llm.sentBytes")).longValue() > 0);
    assertEquals(1, result.exitCode());
    assertTrue(run.complete());
    assertEquals(1L, run.exitCode(), "System.exit(1) of the app is the run's exit code");

    List<WeaveCall> calls = server.calls();
    assertEquals(3, calls.size());
    for (int i = 0; i < 3; i++) {
      Map<String, Object> trace = local.get(i);
      List<WeaveCall> ofTrace = callsOfTraceStartedAt(calls, i);
      assertEquals(shape(trace, "children", null), weaveTree(ofTrace));
      WeaveCall call = ofTrace.get(0);
      assertEquals("smoke-team/smoke", call.projectId());
      assertEquals(trace.get("inputs"), call.inputs());
      assertEquals("llm", object(call.attributes().get("weave")).get("kind"));
      if (trace.get("status").equals("OK")) {
        assertNull(call.exception());
        Map<String, Object> usage = object(object(call.summary().get("usage")).get(
            object(trace.get("attributes")).get("gen_ai.response.model")));
        assertEquals(object(trace.get("usage")).get("input_tokens"), usage.get("prompt_tokens"));
        assertFalse(usage.containsKey("input_tokens"), "one token family only: " + usage);
      } else {
        assertTrue(call.exception().contains("InternalServerException"), call.exception());
      }
    }
    assertTrue(server.projects().contains("smoke-team/smoke"));
  }

  @Test
  void theLinksArePrintedOnceKnownAndTheKeyIsNeverPrintedOrWritten() throws Exception {
    JavaProcess.Result result = app().runJar(GITHUB_URL_ASSISTANT, QUESTIONS[0]);

    String runUrl = server.apiUrl() + "/smoke-team/smoke/runs/" + server.runs().get(0).name();
    String weaveUrl = server.apiUrl() + "/smoke-team/smoke/weave/traces";
    List<String> lines = result.agentLines();
    assertTrue(lines.get(0).contains("traces go to file") && lines.get(0).contains("weave") && lines.get(0).contains("run"),
        lines.get(0));
    assertTrue(lines.contains("[wandb-agent] W&B run: " + runUrl), lines.toString());
    assertTrue(lines.contains("[wandb-agent] Weave traces: " + weaveUrl), lines.toString());
    String exit = lines.get(lines.size() - 1);
    assertTrue(exit.contains(runUrl) && exit.contains(weaveUrl), exit);
    assertFalse(result.stderr().contains(WandbTestServer.API_KEY));
    assertFalse(result.stdout().contains(WandbTestServer.API_KEY));
    for (Path file : Files.walk(TraceFiles.tracesDir(dir)).filter(Files::isRegularFile).collect(Collectors.toList())) {
      assertFalse(Files.readString(file).contains(WandbTestServer.API_KEY), file.toString());
    }
  }

  @Test
  void withAKnownEntityTheStartLineNamesBothLinksAndFailuresAreRetried() throws Exception {
    server.failNext(WandbTestServer.Api.WEAVE, Fault.status(503), Fault.retryAfter(429, 1))
        .failNext(WandbTestServer.Api.GRAPHQL, Fault.dropConnection())
        .failNext(WandbTestServer.Api.FILE_STREAM, Fault.status(500));
    JavaProcess.Result result = app().env("WANDB_ENTITY", "smoke-team").env("WANDB_RUN_ID", "known123")
        .runJar(GITHUB_URL_ASSISTANT, QUESTIONS[0]);

    String start = result.agentLines().get(0);
    assertTrue(start.contains("run " + server.apiUrl() + "/smoke-team/smoke/runs/known123"), start);
    assertTrue(start.contains("weave " + server.apiUrl() + "/smoke-team/smoke/weave/traces"), start);
    assertEquals(1, server.calls().size(), result.stderr());
    assertNotNull(server.calls().get(0).end());
    assertEquals(1, server.runs().get(0).history().size(), result.stderr());
    assertTrue(server.runs().get(0).complete());
    assertEquals(0, result.exitCode());
    assertEquals(0L, server.runs().get(0).exitCode());
  }

  @Test
  void aRejectedKeyIsOneWarningPerSinkAndTheAppRunsAsBefore() throws Exception {
    JavaProcess.Result result = app().env("WANDB_API_KEY", "local-" + "f".repeat(40))
        .runJar(GITHUB_URL_ASSISTANT, QUESTIONS[0]);

    assertEquals(0, result.exitCode());
    assertTrue(result.stdout().startsWith("OK   find java libraries"), result.stdout());
    assertTrue(server.runs().isEmpty() && server.calls().isEmpty());
    List<String> warnings = result.agentLines().stream().filter(line -> line.contains("HTTP 401")).collect(Collectors.toList());
    assertEquals(2, warnings.size(), result.stderr());
    assertFalse(result.stderr().contains("f".repeat(40)));
  }

  /** Names (and optionally one id field) and nesting, children in start order. */
  static Map<String, Object> shape(Map<String, Object> node, String childrenKey, String idKey) {
    List<Object> children = new ArrayList<>();
    Object list = node.get(childrenKey);
    if (list != null) {
      for (Object child : (List<?>) list) {
        children.add(shape(object(child), childrenKey, idKey));
      }
    }
    return idKey == null ? Map.of("name", node.get("name"), "children", children)
        : Map.of("name", node.get("name"), "id", node.get(idKey), "children", children);
  }

  private static List<WeaveCall> callsOfTraceStartedAt(List<WeaveCall> calls, int index) {
    List<WeaveCall> roots = calls.stream().filter(call -> call.parentId() == null)
        .sorted(Comparator.comparing(call -> (String) call.start().get("started_at"))).collect(Collectors.toList());
    String traceId = roots.get(index).traceId();
    List<WeaveCall> ofTrace = calls.stream().filter(call -> call.traceId().equals(traceId)).collect(Collectors.toList());
    ofTrace.sort(Comparator.comparing(call -> call.parentId() == null ? 0 : 1));
    return ofTrace;
  }

  private static Map<String, Object> weaveTree(List<WeaveCall> calls) {
    return weaveNode(calls.get(0), calls);
  }

  private static Map<String, Object> weaveNode(WeaveCall call, List<WeaveCall> calls) {
    List<Object> children = new ArrayList<>();
    calls.stream().filter(child -> call.id().equals(child.parentId()))
        .sorted(Comparator.comparing(child -> (String) child.start().get("started_at")))
        .forEach(child -> children.add(weaveNode(child, calls)));
    return Map.of("name", call.op(), "children", children);
  }
}
