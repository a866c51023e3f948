package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.AGENT_JAR;
import static ai.wandb.agent.smoke.JavaProcess.GITHUB_URL_ASSISTANT;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.wandb.Fault;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import ai.wandb.agent.testing.wandb.WandbTestServer.Api;
import ai.wandb.agent.testing.wandb.WeaveCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * W&B misbehaving while the example app runs under the agent jar: every trace the app made (its local
 * JSONL is the reference) reaches the W&B test server once, and the app prints what it prints without
 * the faults. The outage length is {@code -Ddelivery.outage.seconds} (20 by default; the README gives the
 * figures of a 60 s run). Wall times are printed for the README, never asserted.
 */
class DeliveryFaultsSmokeTest {
  private static final long OUTAGE_MILLIS = Long.getLong("delivery.outage.seconds", 20) * 1000;
  private static final String[] QUESTIONS = {
    "find java libraries for parsing yaml", "rust web frameworks with websockets", "kotlin json parsers",
    "go http routers", "python test runners", "scala actor libraries"
  };

  private final WandbTestServer server = WandbTestServer.start().viewerEntity("faults");
  private final OpenAiTestServer openai = OpenAiTestServer.start();

  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    server.close();
    openai.close();
  }

  @Test
  void aStretchOf503sLosesNoTraceAndLeavesTheAppAlone() throws Exception {
    String expected = withoutAgent(QUESTIONS);
    for (Api api : Api.values()) {
      server.failFor(api, Fault.status(503), OUTAGE_MILLIS);
    }
    // The calls spread over 1.5 outages: some during it, some after W&B is back.
    answers(QUESTIONS.length, OUTAGE_MILLIS / 4);

    long started = System.nanoTime();
    JavaProcess.Result result = app().runJar(GITHUB_URL_ASSISTANT, QUESTIONS);
    report("503 for " + OUTAGE_MILLIS / 1000 + " s", started, result);

    assertEquals(expected, result.stdout());
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(server.exchanges().stream().anyMatch(e -> e.status() == 503));
    assertEachTraceArrivedOnce(localTraces(), true);
    assertTrue(spoolSegments().isEmpty(), result.stderr());
  }

  @Test
  void a429WithRetryAfterIsWaitedOutAndEveryTraceArrivesOnce() throws Exception {
    String expected = withoutAgent(QUESTIONS[0], QUESTIONS[1]);
    server.failNext(Api.WEAVE, Fault.retryAfter(429, 2), Fault.retryAfter(429, 1))
        .failNext(Api.GRAPHQL, Fault.retryAfter(429, 1));
    answers(2, 0);

    long started = System.nanoTime();
    JavaProcess.Result result = app().runJar(GITHUB_URL_ASSISTANT, QUESTIONS[0], QUESTIONS[1]);
    report("429 with Retry-After", started, result);

    assertEquals(expected, result.stdout());
    assertEquals(3, server.exchanges().stream().filter(e -> e.status() == 429).count());
    assertEachTraceArrivedOnce(localTraces(), true);
  }

  @Test
  void connectionResetsAreRetriedAndEveryTraceArrivesOnce() throws Exception {
    String expected = withoutAgent(QUESTIONS[0], QUESTIONS[1]);
    server.failNext(Api.WEAVE, Fault.dropConnection(), Fault.dropConnection(), Fault.dropConnection(),
            Fault.dropConnection())
        .failNext(Api.GRAPHQL, Fault.dropConnection());
    answers(2, 0);

    long started = System.nanoTime();
    JavaProcess.Result result = app().runJar(GITHUB_URL_ASSISTANT, QUESTIONS[0], QUESTIONS[1]);
    report("connection resets", started, result);

    assertEquals(expected, result.stdout());
    assertEachTraceArrivedOnce(localTraces(), true);
  }

  @Test
  void aServerSlowerThanTheShutdownBoundDoesNotHoldTheJvmAndTheNextStartSendsTheTraces() throws Exception {
    String expected = withoutAgent(QUESTIONS[0], QUESTIONS[1]);
    server.failFor(Api.WEAVE, Fault.delay(20_000), 60_000);
    answers(3, 0);

    long started = System.nanoTime();
    JavaProcess.Result slow = app().jvmArg("-Dwandb.shutdown_timeout_ms=2000")
        .runJar(GITHUB_URL_ASSISTANT, QUESTIONS[0], QUESTIONS[1]);
    report("trace server answering after 20 s, shutdown bound 2 s", started, slow);
    assertEquals(expected, slow.stdout());
    String exit = slow.agentLines().get(slow.agentLines().size() - 1);
    assertTrue(exit.contains("spooled in"), exit);
    assertFalse(spoolSegments().isEmpty());

    server.recover();
    JavaProcess.Result next = app().runJar(GITHUB_URL_ASSISTANT, QUESTIONS[2]);
    assertEquals(0, next.exitCode(), next.stderr());
    // The slow server may still take the requests the first JVM gave up on: same ids, merged, so
    // no more than one call per id, but possibly two receipts of one.
    assertEachTraceArrivedOnce(localTraces(), false);
    assertTrue(spoolSegments().isEmpty(), next.stderr());
  }

  @Test
  void aJvmKilledMidExportLeavesItsSpoolToTheNextStart() throws Exception {
    server.failFor(Api.WEAVE, Fault.delay(60_000), 120_000);
    answers(4, 0);

    JavaProcess.Running running = app().startJar(GITHUB_URL_ASSISTANT, QUESTIONS[0], QUESTIONS[1], QUESTIONS[2]);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (spoolSegments().isEmpty() || localTraces().size() < 3) {
      assertTrue(System.nanoTime() < deadline, "the first JVM never spooled");
      Thread.sleep(50);
    }
    JavaProcess.Result killed = running.kill();
    assertTrue(killed.exitCode() != 0, "killed: " + killed.exitCode());
    assertTrue(server.calls().isEmpty());

    server.recover();
    JavaProcess.Result next = app().runJar(GITHUB_URL_ASSISTANT, QUESTIONS[3]);
    assertEquals(0, next.exitCode(), next.stderr());
    assertEquals(4, localTraces().size());
    assertEachTraceArrivedOnce(localTraces(), false);
    assertTrue(spoolSegments().isEmpty(), next.stderr());
  }

  @Test
  void aJvmKilledMidExportLeavesItsRunHistoryToTheNextStartWhichWritesEachRowOnce() throws Exception {
    killMidRunExportAndRestart(null, Fault.status(503), 0, false, "file_stream answering 503");
  }

  @Test
  void aRestartWithTheSameRunIdWritesTheKilledJvmsRowsOnceAndItsOwnAfterThem() throws Exception {
    killMidRunExportAndRestart("killed01", Fault.status(503), 0, false, "file_stream answering 503");
  }

  @Test
  void aJvmKilledWhileFileStreamHangsLeavesItsPendingRowsToTheNextStartWhichWritesEachOnce() throws Exception {
    // The app's calls come a second apart, so its later traces are spooled while the first row's request hangs.
    killMidRunExportAndRestart(null, Fault.delay(60_000), 1000, true, "file_stream hanging");
  }

  /**
   * The run sink alone: file_stream fails with {@code fault}, so the rows of three traces are spooled
   * but never taken; SIGKILL once they all have their offsets, or while some are still pending (no
   * offset yet); W&B back; a second JVM (one more trace) sends them. Each local trace id is then in
   * exactly one history row on the server.
   */
  private void killMidRunExportAndRestart(String runId, Fault fault, long callSpacingMillis, boolean killWhilePending,
      String what) throws Exception {
    String expected = withoutAgent(QUESTIONS[3]);
    server.failFor(Api.FILE_STREAM, fault, 120_000);
    answers(3, callSpacingMillis);
    answers(1, 0);
    JavaProcess first = runApp(runId);
    JavaProcess.Running running = first.startJar(GITHUB_URL_ASSISTANT, QUESTIONS[0], QUESTIONS[1], QUESTIONS[2]);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (spooledRows().size() < 3 || (pending(spooledRows()) > 0) != killWhilePending) {
      assertTrue(System.nanoTime() < deadline, "the first JVM never spooled its history rows");
      Thread.sleep(50);
    }
    long pendingAtKill = pending(spooledRows());
    JavaProcess.Result killed = running.kill();
    assertTrue(killed.exitCode() != 0, "killed: " + killed.exitCode());
    assertTrue(server.historyRowsPerTrace().isEmpty(), "file_stream took nothing before the kill");

    server.recover();
    long started = System.nanoTime();
    JavaProcess.Result next = runApp(runId).runJar(GITHUB_URL_ASSISTANT, QUESTIONS[3]);
    report("run sink, SIGKILL while " + what + " (" + pendingAtKill + " of 3 rows pending), restart"
        + (runId == null ? "" : " with WANDB_RUN_ID"), started, next);
    assertEquals(0, next.exitCode(), next.stderr());
    assertEquals(expected, next.stdout());
    List<Map<String, Object>> local = localTraces();
    assertEquals(4, local.size());
    Map<String, Integer> once = local.stream().collect(Collectors.toMap(t -> (String) t.get("trace_id"), t -> 1));
    assertEquals(once, server.historyRowsPerTrace(), "one history row per trace, over all runs");
    assertEquals(runId == null ? 2 : 1, server.runs().size());
    assertEquals(0, spooledRows().size(), next.stderr());
  }

  private JavaProcess runApp(String runId) {
    JavaProcess app = app("file,run");
    return runId == null ? app : app.env("WANDB_RUN_ID", runId);
  }

  /** The history rows in the run spool ({@code spool/run/<run-id>/*.jsonl}), pending or with their offset. */
  private List<Map<String, Object>> spooledRows() throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    // Listed without reading attributes: the agent renames and deletes files meanwhile.
    for (Path runDir : listOrNone(dir.resolve("wandb/spool/run"))) {
      for (Path file : listOrNone(runDir)) {
        if (!file.getFileName().toString().matches("\\d+-\\d+\\.jsonl")) {
          continue;
        }
        try {
          for (String line : Files.readAllLines(file)) {
            Map<String, Object> entry = Json.parseObject(line);
            if (entry.containsKey("row_json")) {
              rows.add(entry);
            }
          }
        } catch (NoSuchFileException gone) {
          // Sent and deleted while listing.
        }
      }
    }
    return rows;
  }

  private static List<Path> listOrNone(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.collect(Collectors.toList());
    } catch (NoSuchFileException | NotDirectoryException none) {
      return List.of();
    }
  }

  /** Rows the sender has not given an offset yet. */
  private static long pending(List<Map<String, Object>> rows) {
    return rows.stream().filter(row -> !row.containsKey("offset")).count();
  }

  @Test
  void offlineRunsAreUploadedBySyncWithAProgressLineAndAFinalCount() throws Exception {
    answers(2, 0);
    JavaProcess.Result offline = app().env("WANDB_MODE", "offline").runJar(GITHUB_URL_ASSISTANT, QUESTIONS[0], QUESTIONS[1]);
    assertEquals(0, offline.exitCode(), offline.stderr());
    assertTrue(server.exchanges().isEmpty(), "offline sends nothing");
    String exitLine = offline.agentLines().get(offline.agentLines().size() - 1);
    assertEquals(1, exitLine.split("weave:", -1).length - 1, exitLine);
    assertTrue(exitLine.contains("Weave batch(es) spooled there; upload with: java -jar wandb-agent.jar sync"), exitLine);
    assertFalse(spoolSegments().isEmpty());
    for (Path segment : spoolSegments()) {
      assertFalse(Files.readString(segment).contains(WandbTestServer.API_KEY), "the key is never written");
    }

    for (Api api : Api.values()) {
      server.failFor(api, Fault.status(503), 600_000);
    }
    JavaProcess.Result down = sync();
    assertEquals(1, down.exitCode(), down.stdout() + down.stderr());
    assertTrue(down.stdout().contains("left in"), down.stdout());

    server.recover();
    JavaProcess.Result sync = sync();
    assertEquals(0, sync.exitCode(), sync.stdout() + sync.stderr());
    assertTrue(sync.stdout().contains("uploaded 1/"), sync.stdout());
    int spans = localTraces().stream().mapToInt(DeliveryFaultsSmokeTest::spanCount).sum();
    assertTrue(sync.stdout().contains("uploaded " + spans * 2 + " call item(s) to " + server.apiUrl()
        + "/faults/smoke/weave/traces"), sync.stdout());
    assertEachTraceArrivedOnce(localTraces(), true);
    assertTrue(spoolSegments().isEmpty());
  }

  private JavaProcess app() {
    return app("file,weave");
  }

  private JavaProcess app(String exporters) {
    return java().withAgent(null).in(dir)
        .env("WANDB_API_KEY", WandbTestServer.API_KEY)
        .env("WANDB_BASE_URL", server.apiUrl())
        .env("WF_TRACE_SERVER_URL", server.traceUrl())
        .env("WANDB_PROJECT", "smoke")
        .env("OPENAI_API_KEY", "sk-test")
        .env("OPENAI_BASE_URL", openai.baseUrl())
        .jvmArg("-Dwandb.exporters=" + exporters);
  }

  private JavaProcess.Result sync() throws Exception {
    return java().in(dir)
        .env("WANDB_API_KEY", WandbTestServer.API_KEY)
        .env("WANDB_BASE_URL", server.apiUrl())
        .env("WF_TRACE_SERVER_URL", server.traceUrl())
        .env("WANDB_PROJECT", "smoke")
        .runJar(AGENT_JAR, "sync");
  }

  /** The app's output without the agent, against the same recorded answers. */
  private String withoutAgent(String... questions) throws Exception {
    answers(questions.length, 0);
    JavaProcess.Result plain = java().in(dir).env("OPENAI_API_KEY", "sk-test").env("OPENAI_BASE_URL", openai.baseUrl())
        .runJar(GITHUB_URL_ASSISTANT, questions);
    return plain.stdout();
  }

  private void answers(int count, long delayMillis) {
    for (int i = 0; i < count; i++) {
      openai.enqueue("/v1/chat/completions", OpenAiTestServer.Reply.recorded("chat-completion").delayedBy(delayMillis));
    }
  }

  private List<Map<String, Object>> localTraces() throws IOException {
    Path traces = TraceFiles.tracesDir(dir);
    return Files.isDirectory(traces) ? TraceFiles.readTraces(traces) : List.of();
  }

  private List<Path> spoolSegments() throws IOException {
    Path weave = dir.resolve("wandb/spool/weave");
    if (!Files.isDirectory(weave)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(weave)) {
      return files.filter(f -> f.getFileName().toString().matches("\\d+-\\d+\\.jsonl")).collect(Collectors.toList());
    }
  }

  /** One Weave call per local span, ended, in as many Weave traces as local traces; no receipt twice when strict. */
  private void assertEachTraceArrivedOnce(List<Map<String, Object>> local, boolean eachSentOnce) {
    List<WeaveCall> calls = server.calls();
    int spans = local.stream().mapToInt(DeliveryFaultsSmokeTest::spanCount).sum();
    assertEquals(spans, calls.size(), "one call per span");
    Set<String> traces = calls.stream().map(WeaveCall::traceId).collect(Collectors.toSet());
    assertEquals(local.size(), traces.size(), "one Weave trace per local trace");
    assertTrue(calls.stream().allMatch(call -> call.end() != null), "every call ended");
    assertEquals(calls.stream().filter(call -> call.parentId() == null).map(WeaveCall::inputs).collect(Collectors.toSet()),
        local.stream().map(trace -> object(trace.get("inputs"))).collect(Collectors.toSet()));
    if (eachSentOnce) {
      assertTrue(calls.stream().allMatch(call -> call.startsReceived() == 1), "no call sent twice");
    }
  }

  private static int spanCount(Map<String, Object> span) {
    int count = 1;
    Object children = span.get("children");
    if (children != null) {
      for (Object child : list(children)) {
        count += spanCount(object(child));
      }
    }
    return count;
  }

  private static void report(String fault, long startedNanos, JavaProcess.Result result) {
    System.out.printf("[delivery-figures] %s: app + agent exit took %d ms; exit line: %s%n", fault,
        (System.nanoTime() - startedNanos) / 1_000_000,
        result.agentLines().isEmpty() ? "" : result.agentLines().get(result.agentLines().size() - 1));
  }
}
