package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.wandb.RecordedRun;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import ai.wandb.agent.testing.wandb.WeaveCall;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LangChain4j example (on langchain4j-open-ai-official, so each model call is traced by two layers)
 * under the real agent jar, sending to the strict W&B test server: what the W&B UI shows. The System
 * charts, the Trace Table's model, the run's duration, the calls linked to the run, one Weave thread per
 * memory id, op refs with their op objects, tokens counted once; then the Stop button, and complete mode
 * with a JVM killed while its calls run.
 */
class WandbLangChain4jSmokeTest {
  private static final Path APP = JavaProcess.EXAMPLES.resolve("langchain4j-assistant/target/langchain4j-assistant.jar");
  private static final long LINGER_MILLIS = 4000;

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

  private JavaProcess.Result runLingering(JavaProcess process) throws Exception {
    String testClasses = Paths.get(LingeringShopAssistant.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()).toString();
    return process.runMain(APP + File.pathSeparator + testClasses, LingeringShopAssistant.class.getName(),
        "open-ai-official", Long.toString(LINGER_MILLIS));
  }

  @Test
  void wandbShowsWhatHappened() throws Exception {
    JavaProcess.Result result = runLingering(app().env("WANDB_RUN_ID", "lc4j0001"));
    assertEquals(0, result.exitCode(), result.stderr());
    List<Map<String, Object>> local = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    // The example embeds its documents at start (one EMBEDDING trace), then asks two questions.
    assertEquals(3, local.size(), result.stderr());
    List<Map<String, Object>> services = local.stream()
        .filter(trace -> String.valueOf(trace.get("name")).startsWith("langchain4j.ai_service.")).toList();
    assertEquals(2, services.size(), local.toString());
    assertEquals(1, server.runs().size(), result.stderr());
    RecordedRun run = server.runs().get(0);
    List<Map<String, Object>> history = run.history();
    assertEquals(3, history.size());
    List<Map<String, Object>> serviceRows = services.stream().map(trace -> history.stream()
        .filter(row -> trace.get("trace_id").equals(row.get("trace_id"))).findFirst().orElseThrow()).toList();

    // 1. The standard System charts, beside the JVM's own keys.
    Set<String> charts = run.standardSystemCharts();
    for (String key : List.of("system.cpu", "system.proc.memory.rssMB", "system.proc.memory.percent",
        "system.memory_percent", "system.proc.cpu.threads", "system.network.sent", "system.network.recv",
        "system.disk.<path>.usagePercent", "system.disk.<path>.usageGB")) {
      assertTrue(charts.contains(key), key + " missing from wandb-events.jsonl: " + run.events());
    }
    assertTrue(run.events().stream().allMatch(row -> row.containsKey("system.jvm.heap.usedMB")), run.events().toString());

    // 2. The Trace Table's model: the chat model under the span that called it, not the embedding model.
    for (Map<String, Object> row : serviceRows) {
      Map<String, Object> model = Json.parseObject((String) object(row.get("trace")).get("model_dict_dumps"));
      Map<String, Object> chat = object(model.get("langchain4j.chat"));
      assertEquals("gpt-4o-mini", chat.get("model"), model.toString());
      assertEquals("openai", chat.get("_kind"), model.toString());
      assertNull(model.get("model"), "no model of the trace's first span at the top: " + model);
    }

    // 3. The run lasted as long as the process, which kept running after its last call.
    Map<String, Object> summary = run.summary();
    double lastRow = history.stream().mapToDouble(row -> ((Number) row.get("_runtime")).doubleValue()).max().orElseThrow();
    double runtime = ((Number) summary.get("_runtime")).doubleValue();
    // The last row's time is when the exporter took the trace (up to a flush interval after it ended).
    assertTrue(runtime >= lastRow + LINGER_MILLIS / 2000.0, "runtime " + runtime + " s, last trace at " + lastRow);
    long internalRuntime = ((Number) object(summary.get("_wandb")).get("runtime")).longValue();
    assertTrue(internalRuntime >= (long) (lastRow + LINGER_MILLIS / 2000.0), summary.toString());
    assertTrue(run.complete());

    // 4. Every call links to the run.
    List<WeaveCall> calls = server.calls();
    long spans = local.stream().mapToLong(WandbLangChain4jSmokeTest::spanCount).sum();
    assertEquals(spans, calls.size());
    for (WeaveCall call : calls) {
      assertEquals("smoke-team/smoke/lc4j0001", call.wbRunId(), call.start().toString());
      assertEquals(1, call.startsReceived());
      assertNotNull(call.end());
    }

    // 5. One Weave thread per memory id; the service call is the turn, everything under it in its thread.
    Map<String, List<WeaveCall>> threads = calls.stream().filter(call -> call.threadId() != null)
        .collect(Collectors.groupingBy(WeaveCall::threadId));
    assertEquals(Set.of("alice", "bob"), threads.keySet());
    assertEquals(services.stream().mapToLong(WandbLangChain4jSmokeTest::spanCount).sum(),
        threads.values().stream().mapToInt(List::size).sum(), "every call of a service trace is in a thread");
    for (List<WeaveCall> thread : threads.values()) {
      List<WeaveCall> roots = thread.stream().filter(call -> call.parentId() == null).toList();
      assertEquals(1, roots.size());
      assertTrue(thread.stream().allMatch(call -> roots.get(0).id().equals(call.turnId())));
    }

    // 6. Op refs to op objects, one per op name; display names as before.
    Set<String> opNames = new TreeSet<>();
    for (WeaveCall call : calls) {
      assertTrue(server.isOpRef(call.opName()), call.opName());
      opNames.add(call.op());
    }
    assertTrue(opNames.containsAll(Set.of("langchain4j.ai_service.ShopAssistant.chat", "langchain4j.chat",
        "openai.chat.completions.create", "langchain4j.tool.orderStatus")), opNames.toString());
    assertEquals(opNames.size(), server.ops().size(), server.ops().toString());
    assertTrue(server.ops().values().stream().allMatch(count -> count == 1), server.ops().toString());
    assertTrue(calls.stream().filter(call -> call.op().equals("langchain4j.chat"))
        .allMatch(call -> "chat gpt-4o-mini".equals(call.start().get("display_name"))));

    // Issue 11 item 3: each model call's tokens once, though two layers trace it.
    long tokens = 0;
    for (int i = 0; i < 2; i++) {
      long wire = wireTokens(services.get(i));
      assertTrue(wire > 0);
      tokens += wire;
      assertEquals(wire, ((Number) serviceRows.get(i).get("usage/total_tokens")).longValue(), "run history row " + i);
      String rootId = rootCallId(calls, services.get(i));
      Map<String, Object> usage = object(server.calls().stream().filter(call -> call.id().equals(rootId)).findFirst()
          .orElseThrow().summary().get("usage"));
      long weaveTokens = usage.values().stream().mapToLong(u -> ((Number) object(u).get("total_tokens")).longValue()).sum();
      assertEquals(wire, weaveTokens, "Weave summary.usage of the service call " + i + ": " + usage);
    }
    assertEquals(tokens, ((Number) summary.get("total/total_tokens")).longValue());
  }

  @Test
  void theStopButtonIsSaidOnceAndNothingMoreGoesToTheRunWhileTheAppRunsOn(@TempDir Path plainDir) throws Exception {
    server.stopEveryRun();
    JavaProcess.Result plain = java().in(plainDir).runJar(APP, "open-ai");
    JavaProcess.Result result = app().env("WANDB_RUN_ID", "stopme01").runJar(APP, "open-ai");

    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals(plain.stdout(), result.stdout());
    List<String> said = result.agentLines().stream().filter(line -> line.contains("stopped from the W&B UI")).toList();
    assertEquals(1, said.size(), result.stderr());
    RecordedRun run = server.runs().get(0);
    assertTrue(run.stopAnswered());
    assertEquals(0, run.requestsAfterStop(), "file_stream requests after the stop");
    assertFalse(run.complete());
    assertFalse(server.calls().isEmpty(), "Weave calls still go to Weave");
    Path runSpool = dir.resolve("wandb/spool/run/stopme01");
    assertTrue(!Files.exists(runSpool) || Files.list(runSpool).noneMatch(f -> f.toString().endsWith(".jsonl")),
        "nothing left to replay into the stopped run");
  }

  @Test
  void inCompleteModeAJvmKilledWhileItsCallsRunLeavesThemOnDiskAndTheNextStartSendsEachOnceEnded() throws Exception {
    server.requireCallsComplete();
    Path openStarts = dir.resolve("wandb/spool/weave/open-starts.ndjson");
    Set<String> killedIds;
    try (OpenAiTestServer openai = OpenAiTestServer.start()) {
      // The model never answers: the service call, its retrieval and its model calls are all running.
      openai.enqueue("/v1/chat/completions", OpenAiTestServer.Reply.json(500, "{}").delayedBy(600_000));
      JavaProcess.Running running = app().env("OPENAI_API_KEY", "sk-smoke-test").env("OPENAI_BASE_URL", openai.baseUrl())
          .startJar(APP, "open-ai-official");
      long deadline = System.nanoTime() + 150_000_000_000L;
      while (waitingIds(openStarts).size() < 3) {
        assertTrue(System.nanoTime() < deadline, "no starts waiting in " + openStarts);
        Thread.sleep(50);
      }
      running.kill();
      killedIds = waitingIds(openStarts);
    }
    // The documents embedded at start make a trace that ended, so it may have gone out whole; nothing
    // of the calls still running did.
    List<WeaveCall> beforeKill = server.calls();
    assertTrue(beforeKill.stream().noneMatch(call -> killedIds.contains(call.id())),
        "complete mode sends no call before its end: " + beforeKill);
    assertTrue(beforeKill.stream().allMatch(call -> call.end() != null), "only ended calls went out");

    JavaProcess.Result next = app().runJar(APP, "open-ai-official");
    assertEquals(0, next.exitCode(), next.stderr());

    List<WeaveCall> calls = server.calls();
    Set<String> ids = calls.stream().map(WeaveCall::id).collect(Collectors.toSet());
    assertTrue(ids.containsAll(killedIds), "every call of the killed JVM arrived: " + killedIds + " in " + ids + "\n" + next.stderr());
    long later = TraceFiles.readTraces(TraceFiles.tracesDir(dir)).stream().mapToLong(WandbLangChain4jSmokeTest::spanCount)
        .sum();
    assertEquals(killedIds.size() + later, calls.size(), "the killed JVM's calls and the next one's, no other");
    for (WeaveCall call : calls) {
      assertEquals(1, call.startsReceived(), call.id());
      assertEquals(1, call.endsReceived(), call.id());
      assertNotNull(call.end(), call.id());
    }
    for (WeaveCall call : calls) {
      if (killedIds.contains(call.id())) {
        assertTrue(call.exception().contains("ProcessExited"), call.exception());
      }
    }
    assertFalse(Files.exists(openStarts), "nothing waits any more");
  }

  private static Set<String> waitingIds(Path openStarts) throws Exception {
    Set<String> ids = new HashSet<>();
    if (!Files.exists(openStarts)) {
      return ids;
    }
    for (String line : Files.readAllLines(openStarts)) {
      if (!line.isBlank()) {
        ids.add((String) object(object(object(Json.parseObject(line)).get("req")).get("start")).get("id"));
      }
    }
    return ids;
  }

  private static long spanCount(Map<String, Object> span) {
    long count = 1;
    Object children = span.get("children");
    if (children != null) {
      for (Object child : list(children)) {
        count += spanCount(object(child));
      }
    }
    return count;
  }

  /**
   * The tokens the server reported for the trace's model calls: the usage of the openai-java spans,
   * the layer on the wire (each LangChain4j chat span above one carries the same call's usage).
   */
  private static long wireTokens(Map<String, Object> span) {
    long tokens = 0;
    if ("openai.chat.completions.create".equals(span.get("name")) && span.get("usage") != null) {
      tokens += ((Number) object(span.get("usage")).get("total_tokens")).longValue();
    }
    Object children = span.get("children");
    if (children != null) {
      for (Object child : list(children)) {
        Map<String, Object> node = object(child);
        if ("langchain4j.chat".equals(node.get("name")) && node.get("usage") != null) {
          List<Object> nested = node.get("children") == null ? new ArrayList<>() : list(node.get("children"));
          assertEquals(1, nested.size(), node.toString());
          assertEquals(object(node.get("usage")).get("total_tokens"),
              object(object(nested.get(0)).get("usage")).get("total_tokens"), "both layers saw the same call");
        }
        tokens += wireTokens(node);
      }
    }
    return tokens;
  }

  private static String rootCallId(List<WeaveCall> calls, Map<String, Object> localRoot) {
    String started = String.valueOf(localRoot.get("name"));
    return calls.stream().filter(call -> call.parentId() == null && call.op().equals(started))
        .map(WeaveCall::id).findFirst().orElseThrow();
  }
}
