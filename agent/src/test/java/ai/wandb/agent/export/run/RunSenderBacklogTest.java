package ai.wandb.agent.export.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.http.UrlConnectionTransport;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.testing.wandb.RecordedRun;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog of rows on disk does not wait for file_stream's 15 s cadence: once the stream holds a full
 * request, it goes at once (as wandb-core sends a full buffer), and the next one is read from disk, so a
 * fast logger's rows keep flowing instead of one request per interval while the rest fill the spool.
 */
class RunSenderBacklogTest {
  private static final int TRACES = 3000;
  private static final String ANSWER = " " + "x".repeat(2048);

  private final WandbTestServer server = WandbTestServer.start().viewerEntity("backlog");

  @TempDir Path dir;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void rowsBeyondTheInMemoryBoundGoOutBeforeTheNextIntervalAtTheirOffsets() throws Exception {
    WandbHttp http = new WandbHttp(new UrlConnectionTransport(), WandbTestServer.API_KEY, "test", millis -> { }, 10_000);
    RunSink sink = new RunSink(new WandbSession(http, server.apiUrl(), server.traceUrl(), "p", null),
        new RunInfo("backlog1", "backlog1"), new RunSettings(null, null, null, null, "h", "Main"), "test", () -> 0,
        20, TRACES, System.currentTimeMillis(), dir, 256L << 20);
    // The run exists and its first request went at once (rows spooled before that go with its creation).
    trace(sink, 0);
    long deadline = System.nanoTime() + 12_000_000_000L;
    while (history() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, history());
    for (int i = 1; i < TRACES; i++) {
      trace(sink, i);
    }

    // The next interval is 15 s away: more rows than two full requests hold (3,000 rows of over 2 KB each
    // against 2 MiB a request) arriving well before it means the backlog did not wait for it.
    deadline = System.nanoTime() + 12_000_000_000L;
    while (history() < 2 * 1000 + 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(history() > 2 * 1000, history() + " rows on the server within 12 s of " + TRACES);

    sink.close(10_000);
    assertEquals(TRACES, history());
    List<Object> steps = run().history().stream().map(row -> row.get("_step")).collect(Collectors.toList());
    for (int i = 0; i < TRACES; i++) {
      assertEquals(i, ((Number) steps.get(i)).intValue(), "each row at its offset, once");
    }
  }

  private static void trace(RunSink sink, int i) {
    Span root = Tracer.start("agent.run", SpanKind.AGENT, "q" + i, null);
    // Over 2 KB a row, so that 3,000 rows fill three requests whatever the rest of a row weighs.
    Tracer.end(root, "a" + i + ANSWER, null);
    sink.export(List.of(root));
  }

  private int history() {
    return server.runs().isEmpty() ? 0 : run().historyCount();
  }

  private RecordedRun run() {
    return server.runs().get(0);
  }
}
