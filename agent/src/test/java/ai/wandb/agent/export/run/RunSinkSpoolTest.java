package ai.wandb.agent.export.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.http.HttpTransport;
import ai.wandb.agent.export.http.UrlConnectionTransport;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.testing.wandb.Fault;
import ai.wandb.agent.testing.wandb.RecordedRun;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import ai.wandb.agent.testing.wandb.WandbTestServer.Api;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History rows are on disk in spool/run/<run-id>/ from the moment the sink has them, whatever W&B does,
 * and reach their run once, at their offsets.
 */
class RunSinkSpoolTest {
  private final WandbTestServer server = WandbTestServer.start().viewerEntity("spooler");

  @TempDir Path dir;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void rowsFileStreamDidNotTakeAreSentOnceToTheirRunByTheNextStart() throws Exception {
    server.failFor(Api.FILE_STREAM, Fault.status(503), 600_000);
    List<String> first = run("first01", 3);
    assertFalse(segments().isEmpty(), "the unsent rows stay on disk");
    for (Path segment : segments()) {
      assertFalse(Files.readString(segment).contains(WandbTestServer.API_KEY), "the key is never written");
    }

    server.recover();
    List<String> second = run("second02", 1);

    assertEquals(onceEach(first), rowsPerTrace("first01"), "the earlier run got its rows once");
    assertEquals(onceEach(second), rowsPerTrace("second02"));
    assertEquals(3, ((Number) run("first01").summary().get("total/traces")).intValue(), "the summary after them came too");
    assertTrue(segments().isEmpty());
    assertFalse(Files.exists(dir.resolve("first01")), "a replayed run's directory is removed");
  }

  @Test
  void theSameRunIdResumedAppendsItsNewRowsAfterTheSpooledOnes() throws Exception {
    server.failFor(Api.FILE_STREAM, Fault.status(503), 600_000);
    List<String> first = run("same0001", 2);
    server.recover();
    List<String> second = run("same0001", 2);

    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    assertEquals(onceEach(all), rowsPerTrace("same0001"));
    List<Object> steps = run("same0001").history().stream().map(row -> row.get("_step")).collect(Collectors.toList());
    assertEquals(List.of(0L, 1L, 2L, 3L), steps.stream().map(s -> ((Number) s).longValue()).collect(Collectors.toList()));
    assertTrue(segments().isEmpty());
  }

  @Test
  void rowsAlreadyTakenAreNotSentAgain() throws Exception {
    List<String> sent = run("taken001", 2);
    // A JVM killed between file_stream's answer and the delete leaves a segment the server already has;
    // this one as earlier versions wrote it (the row as an object), which the spool can still hold.
    Spool spool = new Spool(dir.resolve("taken001"), 1 << 20);
    spool.append(List.of(
        Map.of("entity", "spooler", "project", "p", "run", "taken001", "offset", 1L,
            "row", Map.of("trace_id", sent.get(1), "_step", 1, "_runtime", 1.0, "_timestamp", 1.0))));

    run("other001", 0);

    assertEquals(onceEach(sent), rowsPerTrace("taken001"));
    assertEquals("agent.run", run("taken001").history().get(1).get("name"), "the server's row was left as it was");
    assertTrue(segments().isEmpty());
  }

  @Test
  void whileAFileStreamRequestHangsTheNextTraceIsAlreadyOnDiskAndEachArrivesOnce() throws Exception {
    server.failFor(Api.FILE_STREAM, Fault.delay(3000), 60_000);
    AtomicInteger open = new AtomicInteger();
    UrlConnectionTransport real = new UrlConnectionTransport();
    HttpTransport counting = (method, url, headers, body, timeout) -> {
      boolean fileStream = url.endsWith("/file_stream");
      open.addAndGet(fileStream ? 1 : 0);
      try {
        return real.send(method, url, headers, body, timeout);
      } finally {
        open.addAndGet(fileStream ? -1 : 0);
      }
    };
    RunSink sink = sink("hang0001", session(counting));
    String first = trace(sink, 0);
    await(() -> open.get() == 1, "the first row's file_stream request");

    String second = trace(sink, 1);
    await(() -> pendingRows("hang0001").contains(second), "the second row pending on disk");
    assertEquals(1, open.get(), "while the request is still open");

    server.recover();
    sink.close(20_000);
    assertEquals(onceEach(List.of(first, second)), rowsPerTrace("hang0001"));
    assertTrue(run("hang0001").complete());
    assertTrue(segments().isEmpty());
  }

  @Test
  void rowsWaitOnDiskWhileTheRunCannotBeCreatedAndEachArrivesOnceAfterwards() throws Exception {
    server.failFor(Api.GRAPHQL, Fault.status(503), 60_000);
    RunSink sink = sink("nobkt001", session(new UrlConnectionTransport()));
    List<String> ids = List.of(trace(sink, 0), trace(sink, 1), trace(sink, 2));
    await(() -> pendingRows("nobkt001").size() == 3, "three pending rows on disk");
    assertEquals(Set.copyOf(ids), Set.copyOf(pendingRows("nobkt001")));
    assertTrue(server.runs().isEmpty(), "the run does not exist yet");

    server.recover();
    sink.close(10_000);
    assertEquals(onceEach(ids), rowsPerTrace("nobkt001"));
    assertEquals(List.of(0L, 1L, 2L), steps("nobkt001"));
    assertEquals(3, ((Number) run("nobkt001").summary().get("total/traces")).intValue());
    assertTrue(run("nobkt001").complete());
    assertTrue(segments().isEmpty());
  }

  @Test
  void rowsOfAJvmThatEndedBeforeItsRunExistedAreSentOnceByTheNextStart() throws Exception {
    server.failFor(Api.GRAPHQL, Fault.status(503), 600_000);
    List<String> first = run("never001", 2);
    assertEquals(Set.copyOf(first), Set.copyOf(pendingRows("never001")));
    assertTrue(server.runs().isEmpty());

    server.recover();
    List<String> second = run("after001", 1);

    assertEquals(onceEach(first), rowsPerTrace("never001"), "the next start created the run and sent its rows");
    assertEquals(List.of(0L, 1L), steps("never001"));
    assertEquals(onceEach(second), rowsPerTrace("after001"));
    assertTrue(segments().isEmpty());
  }

  @Test
  void aHungFileStreamDoesNotHoldTheCloseBeyondItsBoundAndTheExitNoteCountsTheRowsLeft() throws Exception {
    server.failFor(Api.FILE_STREAM, Fault.delay(3000), 60_000);
    RunSink sink = sink("bound001", session(new UrlConnectionTransport()));
    List<String> ids = List.of(trace(sink, 0), trace(sink, 1));
    await(() -> server.exchanges().stream().anyMatch(e -> e.path().equals("/graphql")), "the run's creation");

    long started = System.nanoTime();
    sink.close(500);
    long tookMillis = (System.nanoTime() - started) / 1_000_000;

    assertTrue(tookMillis < 2000, "close took " + tookMillis + " ms with a bound of 500 ms (the request hangs 3 s)");
    String note = sink.exitNote();
    assertTrue(note.contains("run: 2 history row(s) spooled in " + dir.resolve("bound001")), note);
    // The sender carries on once the answer comes, as a JVM that is not exiting would.
    server.recover();
    await(() -> !Files.exists(dir.resolve("bound001")), "the rows sent and the directory removed");
    assertEquals(onceEach(ids), rowsPerTrace("bound001"));
  }

  /** A sink with its own run id exports {@code traces} traces and closes, as one JVM would. */
  private List<String> run(String runId, int traces) throws Exception {
    RunSink sink = sink(runId, session(new UrlConnectionTransport()));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < traces; i++) {
      ids.add(trace(sink, i));
    }
    Thread.sleep(200);
    sink.close(2000);
    return ids;
  }

  private RunSink sink(String runId, WandbSession session) {
    return new RunSink(session, new RunInfo(runId, runId), new RunSettings(null, null, null, null, "h", "Main"),
        "test", () -> 0, 20, 100, System.currentTimeMillis(), dir, 1 << 20);
  }

  /** Ends one trace and hands it to the sink; its id. */
  private static String trace(RunSink sink, int i) {
    Span root = Tracer.start("agent.run", SpanKind.AGENT, "q" + i, RENDERER);
    Tracer.end(root, "a" + i, null);
    sink.export(List.of(root));
    return root.traceId();
  }

  private WandbSession session(HttpTransport transport) {
    WandbHttp http = new WandbHttp(transport, WandbTestServer.API_KEY, "test", millis -> { }, 10_000);
    return new WandbSession(http, server.apiUrl(), server.traceUrl(), "p", null);
  }

  /** The trace ids of the rows in the run's spool that have no offset yet. */
  private List<String> pendingRows(String runId) throws Exception {
    List<String> ids = new ArrayList<>();
    for (Path segment : segments()) {
      if (!segment.getParent().getFileName().toString().equals(runId)) {
        continue;
      }
      try {
        for (Map<String, Object> entry : Spool.read(segment)) {
          if (entry.get("row_json") != null && entry.get("offset") == null) {
            ids.add((String) Json.parseObject((String) entry.get("row_json")).get("trace_id"));
          }
        }
      } catch (NoSuchFileException sent) {
        // Taken by file_stream since the listing.
      }
    }
    return ids;
  }

  private List<Long> steps(String runId) {
    return run(runId).history().stream().map(row -> ((Number) row.get("_step")).longValue()).collect(Collectors.toList());
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.holds()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  private RecordedRun run(String runId) {
    return server.runs().stream().filter(r -> r.name().equals(runId)).findFirst().orElseThrow();
  }

  private Map<String, Integer> rowsPerTrace(String runId) {
    return run(runId).historyRowsPerTrace();
  }

  private static Map<String, Integer> onceEach(List<String> traceIds) {
    return traceIds.stream().collect(Collectors.toMap(id -> id, id -> 1));
  }

  /** Every segment of every run directory, listed without reading attributes: the sink renames and deletes meanwhile. */
  private List<Path> segments() throws Exception {
    List<Path> segments = new ArrayList<>();
    for (Path runDir : RunReplay.runDirs(dir)) {
      segments.addAll(new Spool(runDir, 1 << 20).segments());
    }
    return segments;
  }

  private static final SpanRenderer RENDERER = new SpanRenderer() {
    @Override
    public void renderStart(Span span) {
      span.setInputs(Map.of("question", String.valueOf(span.request())));
    }

    @Override
    public void renderEnd(Span span) {
      span.setOutputs(Map.of("answer", String.valueOf(span.response())));
    }
  };
}
