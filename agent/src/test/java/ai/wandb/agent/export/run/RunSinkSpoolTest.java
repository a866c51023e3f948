package ai.wandb.agent.export.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.http.UrlConnectionTransport;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.testing.wandb.Fault;
import ai.wandb.agent.testing.wandb.RecordedRun;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import ai.wandb.agent.testing.wandb.WandbTestServer.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History rows W&B did not take stay in spool/run/<run-id>/ and reach their run once, at their offsets. */
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
    // A JVM killed between file_stream's answer and the delete leaves a segment the server already has.
    Spool spool = new Spool(dir.resolve("taken001"), 1 << 20);
    spool.append(List.of(
        Map.of("entity", "spooler", "project", "p", "run", "taken001", "offset", 1L,
            "row", Map.of("trace_id", sent.get(1), "_step", 1, "_runtime", 1.0, "_timestamp", 1.0))));

    run("other001", 0);

    assertEquals(onceEach(sent), rowsPerTrace("taken001"));
    assertEquals("agent.run", run("taken001").history().get(1).get("name"), "the server's row was left as it was");
    assertTrue(segments().isEmpty());
  }

  /** A sink with its own run id exports {@code traces} traces and closes, as one JVM would. */
  private List<String> run(String runId, int traces) throws Exception {
    RunSink sink = new RunSink(session(), new RunInfo(runId, runId), new RunSettings(null, null, null, null, "h", "Main"),
        "test", () -> 0, 20, 100, System.currentTimeMillis(), dir, 1 << 20);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < traces; i++) {
      Span root = Tracer.start("agent.run", SpanKind.AGENT, "q" + i, RENDERER);
      Tracer.end(root, "a" + i, null);
      ids.add(root.traceId());
      sink.export(List.of(root));
    }
    Thread.sleep(200);
    sink.close(2000);
    return ids;
  }

  private WandbSession session() {
    WandbHttp http = new WandbHttp(new UrlConnectionTransport(), WandbTestServer.API_KEY, "test", millis -> { }, 5000);
    return new WandbSession(http, server.apiUrl(), server.traceUrl(), "p", null);
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

  private List<Path> segments() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).collect(Collectors.toList());
    }
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
