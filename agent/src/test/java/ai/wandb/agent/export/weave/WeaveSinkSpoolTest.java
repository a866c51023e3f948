package ai.wandb.agent.export.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.export.Exporter;
import ai.wandb.agent.export.Sink;
import ai.wandb.agent.export.TraceJson;
import ai.wandb.agent.export.http.UrlConnectionTransport;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.run.RunLink;
import ai.wandb.agent.export.spool.Backoff;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.testing.wandb.Fault;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import ai.wandb.agent.testing.wandb.WandbTestServer.Api;
import ai.wandb.agent.testing.wandb.WeaveCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Weave sink's spool against the W&B test server: outages, a rejected key, restarts, offline. */
class WeaveSinkSpoolTest {
  private static final long OUTAGE = 3_600_000;

  private final WandbTestServer server = WandbTestServer.start();
  private long clock;

  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    Tracer.setListener(null);
    server.close();
  }

  @Test
  void callsMadeWhileWandbIsDownAreSpooledAndArriveOnceWhenItIsBack() throws Exception {
    down(Fault.status(503));
    Spool spool = spool();
    Exporter exporter = exporter(sink(WandbTestServer.API_KEY, spool, false));

    Set<String> ids = spanIds(trace("first"));
    await(() -> server.exchanges().stream().anyMatch(e -> e.status() == 503) && !spool.segments().isEmpty());
    Set<String> more = spanIds(trace("second"));
    await(() -> spool.spooled() == 12);
    assertTrue(server.calls().isEmpty());

    server.recover();
    clock += 60_000;
    await(() -> server.calls().size() == 6);
    exporter.shutdown(5000);

    ids.addAll(more);
    assertEquals(ids, server.calls().stream().map(WeaveCall::id).collect(Collectors.toSet()));
    assertTrue(server.calls().stream().allMatch(call -> call.startsReceived() == 1 && call.end() != null));
    assertTrue(spool.segments().isEmpty());
  }

  @Test
  void theSegmentsAnOutageLeftGoOutInOneRequestWithTheirRunResolvedThen() throws Exception {
    down(Fault.status(503));
    Spool spool = spool();
    Exporter first = exporter(sink(WandbTestServer.API_KEY, spool, false, new RunLink("run-1")));
    Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 3; i++) {
      ids.addAll(spanIds(trace("trace " + i)));
      int segments = i + 1;
      await(() -> spool.segments().size() == segments);
    }
    first.shutdown(300);
    server.recover();
    int before = server.batches("upsert_batch");

    Exporter second = exporter(sink(WandbTestServer.API_KEY, spool(), false, null));
    await(() -> server.calls().size() == 9);
    second.shutdown(5000);

    assertEquals(1, server.batches("upsert_batch") - before, "three segments, one request");
    assertEquals(ids, server.calls().stream().map(WeaveCall::id).collect(Collectors.toSet()));
    for (WeaveCall call : server.calls()) {
      assertEquals(1, call.startsReceived());
      assertEquals(call.projectId() + "/run-1", call.start().get("wb_run_id"));
      assertTrue(server.isOpRef(String.valueOf(call.start().get("op_name"))), call.start().toString());
    }
    assertTrue(spool.segments().isEmpty());
  }

  @Test
  void whatTheShutdownBoundLeftIsReplayedByTheNextProcess() throws Exception {
    down(Fault.status(503));
    Spool spool = spool();
    Exporter first = exporter(sink(WandbTestServer.API_KEY, spool, false));
    Set<String> ids = spanIds(trace("before the restart"));
    first.shutdown(300);
    assertFalse(spool.segments().isEmpty());
    assertTrue(server.calls().isEmpty());

    server.recover();
    Exporter second = exporter(sink(WandbTestServer.API_KEY, spool(), false));
    await(() -> server.calls().size() == 3);
    second.shutdown(5000);

    assertEquals(ids, server.calls().stream().map(WeaveCall::id).collect(Collectors.toSet()));
    assertTrue(server.calls().stream().allMatch(call -> call.startsReceived() == 1));
    assertTrue(spool.segments().isEmpty());
  }

  @Test
  void aRejectedKeyStopsTheSinkAndKeepsTheTracesForSync() throws Exception {
    Spool spool = spool();
    Exporter exporter = exporter(sink("local-ffffffffffffffffffffffffffffffffffffffff", spool, false));
    Set<String> ids = spanIds(trace("with a revoked key"));
    exporter.shutdown(5000);
    long refusals = server.exchanges().stream().filter(e -> e.status() == 401).count();
    assertEquals(1, refusals, "one refused request, then the sink stops asking");
    assertFalse(spool.segments().isEmpty());

    WeaveSync.Result result = WeaveSync.upload(session(WandbTestServer.API_KEY), spool, (done, total, items) -> { });

    assertEquals(0, result.left);
    assertEquals(6, result.items);
    assertEquals(ids, server.calls().stream().map(WeaveCall::id).collect(Collectors.toSet()));
    assertTrue(spool.segments().isEmpty());
  }

  @Test
  void offlineTheCallsStayInTheSpoolWithoutTheApiKey() throws Exception {
    Spool spool = spool();
    Exporter exporter = exporter(sink(WandbTestServer.API_KEY, spool, true));
    trace("offline");
    exporter.shutdown(5000);

    assertTrue(server.exchanges().isEmpty());
    assertEquals(6, spool.spooled());
    for (Path segment : spool.segments()) {
      assertFalse(Files.readString(segment).contains(WandbTestServer.API_KEY.substring(6)));
    }
  }

  @Test
  void aSyncThatCannotReachWandbLeavesTheSpoolAndSaysWhy() throws Exception {
    Spool spool = spool();
    Exporter exporter = exporter(sink(WandbTestServer.API_KEY, spool, true));
    trace("offline");
    exporter.shutdown(5000);
    down(Fault.status(503));

    WeaveSync.Result result = WeaveSync.upload(session(WandbTestServer.API_KEY), spool, (done, total, items) -> { });

    assertEquals(1, result.left);
    assertTrue(result.problem.contains("503"), result.problem);
    assertEquals(1, spool.segments().size());
  }

  @Test
  void endsWhoseStartsWentBeforeTheSwitchToCompleteModeGoThroughV2CallEnd() throws Exception {
    Spool spool = spool();
    Exporter exporter = exporter(sink(WandbTestServer.API_KEY, spool, false));
    Span root = Tracer.start("agent.run", SpanKind.AGENT, "long", RENDERER);
    Span llm = Tracer.start("llm", SpanKind.LLM, "llm", RENDERER);
    await(() -> server.calls().size() == 2);
    server.requireCallsComplete();
    Tracer.end(llm, "completion", null);
    Tracer.end(root, "answer", null);
    await(() -> server.calls().stream().allMatch(call -> call.end() != null));
    exporter.shutdown(5000);

    assertTrue(server.calls().stream().allMatch(call -> call.startsReceived() == 1 && call.endsReceived() == 1));
    assertEquals(2, server.exchanges().stream().filter(e -> e.path().endsWith("/call/end") && e.status() == 200).count());
  }

  @Test
  void inCompleteModeAStartWaitsOnDiskAndAtExitItsCallIsSentEndedThen() throws Exception {
    server.requireCallsComplete();
    Spool spool = spool();
    Exporter exporter = exporter(sink(WandbTestServer.API_KEY, spool, false));
    Span root = Tracer.start("agent.run", SpanKind.AGENT, "never ends", RENDERER);
    Path waiting = dir.resolve("weave/open-starts.ndjson");
    await(() -> Files.exists(waiting));
    assertTrue(server.calls().isEmpty(), "complete mode sends a call whole");
    assertTrue(Files.readString(waiting).contains(WeaveIds.callId(root)));

    exporter.shutdown(5000);
    Tracer.end(root, null, null);

    assertEquals(1, server.calls().size());
    WeaveCall call = server.calls().get(0);
    assertEquals(WeaveIds.callId(root), call.id());
    assertTrue(call.exception().contains("ProcessExited"), call.exception());
    assertFalse(Files.exists(waiting));
    try (var owners = Files.list(dir.resolve("weave/owners"))) {
      assertEquals(0, owners.count(), "a JVM that leaves nothing waiting removes its lock file");
    }
  }

  private void down(Fault fault) {
    for (Api api : Api.values()) {
      server.failFor(api, fault, OUTAGE);
    }
  }

  private Spool spool() {
    return new Spool(dir.resolve("weave"), 1 << 20);
  }

  private WandbSession session(String key) {
    WandbHttp http = new WandbHttp(new UrlConnectionTransport(), key, "test", millis -> { }, 5000);
    return new WandbSession(http, server.apiUrl(), server.traceUrl(), "spool-tests", null);
  }

  private WeaveSink sink(String key, Spool spool, boolean offline) {
    return sink(key, spool, offline, null);
  }

  private WeaveSink sink(String key, Spool spool, boolean offline, RunLink run) {
    return new WeaveSink(session(key), "test", 20, 1000, spool, offline, run,
        new Backoff(1000, 30000, () -> clock, new Random(1)));
  }

  private static Exporter exporter(Sink sink) {
    Exporter exporter = new Exporter(List.of(sink), 64, 20);
    Tracer.setListener(exporter);
    return exporter;
  }

  private static Set<String> spanIds(Span root) {
    return TraceJson.flatten(root).stream().map(WeaveIds::callId).collect(Collectors.toSet());
  }

  /** agent.run → (llm, tool). */
  private static Span trace(String question) {
    Span root = Tracer.start("agent.run", SpanKind.AGENT, question, RENDERER);
    Tracer.end(Tracer.start("llm", SpanKind.LLM, "llm", RENDERER), "completion", null);
    Tracer.end(Tracer.start("tool", SpanKind.TOOL, "tool", RENDERER), "result", null);
    Tracer.end(root, "answer", null);
    return root;
  }

  /** Waits for the sink's worker (a condition, not a duration: the bound only ends a broken test). */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "condition not reached");
      Thread.sleep(10);
    }
  }

  private static final SpanRenderer RENDERER = new SpanRenderer() {
    @Override
    public void renderStart(Span span) {
      span.setInputs(Map.of("input", String.valueOf(span.request())));
    }

    @Override
    public void renderEnd(Span span) {
      span.setOutputs(Map.of("output", String.valueOf(span.response())));
    }
  };
}
