package ai.wandb.agent.export.run;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.Sink;
import ai.wandb.agent.export.SinkWorker;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.WandbSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One W&B run per JVM, created with the first trace (an app that never calls a model leaves no empty
 * run). Each finished trace is one history row: the {@code wb_trace_tree} under {@code trace} beside
 * its scalars; the summary keeps the latest values and totals; system metrics are sampled into
 * {@code wandb-events.jsonl}; at exit the run is marked complete with the exit code.
 *
 * <p>Two threads, as in the Weave sink. The worker turns each trace into its history row, with
 * {@code _runtime} and {@code _timestamp} fixed at trace time, and writes it at once to the run's
 * spool directory ({@code spool/run/<run-id>/}) as a <em>pending</em> row, with the summary after it
 * ({@link RunSegment}); it does no network I/O. The sender ({@link RunSender}) creates the run, gives
 * pending rows their {@code file_stream} offsets (rewriting their segment before sending), sends them
 * and deletes each segment once {@code file_stream} took it. So no row is ever only in memory: not
 * while the run is being created, nor while a {@code file_stream} request hangs. A JVM killed at any
 * point leaves its rows to the next start (or {@code sync}), which writes them into the same run, each
 * at one offset ({@link RunReplay}). The worker takes the directory's lock before its first write, so
 * no other JVM replays a live run.
 */
public final class RunSink implements Sink, SinkWorker.Handler {
  /** The JVM's exit status at shutdown, where the agent can know it. */
  public interface ExitCode {
    int get();
  }

  /** Wakes the sender: a segment was written, or earlier JVMs left rows to send even if this one logs none. */
  private static final Object KICK = new Object();

  private final WandbSession session;
  private final RunInfo run;
  private final SinkWorker worker;
  private final SinkWorker sender;
  private final RunSender delivery;
  private final long runStartMillis;
  private final Spool spool;
  private final RunConfig config;
  private final AtomicBoolean configDirty = new AtomicBoolean();
  private final RunLink link;

  // Worker thread only (but for the totals' byte counts, which the sender samples).
  private final RunTotals totals = new RunTotals();
  private final Map<String, Object> summary = new LinkedHashMap<String, Object>();
  private boolean warnedLock;

  public RunSink(WandbSession session, RunInfo run, RunSettings settings, String agentVersion, ExitCode exitCode,
      long tickMillis, int queueCapacity, long runStartMillis, Path spoolRoot, long spoolMaxBytes) {
    this.session = session;
    this.run = run;
    this.runStartMillis = runStartMillis;
    this.spool = new Spool(spoolRoot.resolve(run.id()), spoolMaxBytes);
    this.config = new RunConfig(agentVersion, settings);
    this.link = new RunLink(run.id());
    this.delivery = new RunSender(session, run, settings, exitCode, config, configDirty, totals, spool, spoolRoot,
        spoolMaxBytes, runStartMillis, link);
    this.worker = new SinkWorker("wandb-agent-run", queueCapacity, tickMillis, this);
    this.sender = new SinkWorker("wandb-agent-run-send", 4, tickMillis, delivery);
    if (!RunReplay.runDirs(spoolRoot).isEmpty()) {
      sender.offer(KICK);
    }
  }

  /** The run's id and current step, for the Weave calls of the same JVM. */
  public RunLink link() {
    return link;
  }

  @Override
  public String name() {
    return "run";
  }

  @Override
  public String location() {
    return delivery.location();
  }

  @Override
  public boolean wantsStartEvents() {
    return false;
  }

  @Override
  public void spanStarted(Span span) {}

  @Override
  public void export(List<Span> roots) {
    long now = System.currentTimeMillis();
    for (Span root : roots) {
      worker.offer(new TraceEvent(root, now));
    }
  }

  /** The worker first, so every row it was handed reaches the disk; the sender gets what is left of the bound. */
  @Override
  public void close(long timeoutMillis) {
    worker.close(session.http().closeWithin(timeoutMillis));
    sender.close(session.http().closeWithin(timeoutMillis));
  }

  @Override
  public String exitNote() {
    List<String> notes = new ArrayList<String>();
    long dropped = worker.dropped();
    if (dropped > 0) {
      notes.add("run: " + dropped + " trace(s) dropped (the run sink's queue was full)");
    }
    if (spool.dropped() > 0) {
      notes.add("run: " + spool.dropped() + " spool entr(ies) dropped (history rows and summaries)");
    }
    long rows = rowsOnDisk();
    if (rows > 0) {
      notes.add("run: " + rows + " history row(s) spooled in " + spool.dir()
          + " (replayed at the next start); upload with: java -jar wandb-agent.jar sync");
    }
    return notes.isEmpty() ? null : String.join("; ", notes);
  }

  // ---- worker thread ----

  @Override
  public void onItems(List<Object> items) {
    if (delivery.disabled()) {
      return;
    }
    List<byte[]> lines = new ArrayList<byte[]>();
    for (Object item : items) {
      TraceEvent event = (TraceEvent) item;
      // Here, not on the exporter thread: the row writes the whole trace as JSON and sizes every
      // prompt and answer, which was half the exporter thread's samples with this sink (JFR, the
      // exporter benchmark). The trace is finished and rendered; its spans are only read from now on.
      TraceMetrics metrics = TraceMetrics.of(event.root);
      if (config.observe(RunConfig.parametersOf(event.root))) {
        configDirty.set(true);
      }
      Map<String, Object> row = new LinkedHashMap<String, Object>(metrics.row());
      row.put("_runtime", (event.millis - runStartMillis) / 1000.0);
      row.put("_timestamp", event.millis / 1000.0);
      // Written here as the line file_stream will carry, so that the sender only copies it (RunSegment).
      byte[] line = RunSegment.pendingRow(session.configuredEntity(), session.project(), run.id(), row);
      if (line != null) {
        lines.add(line);
      }
      totals.add(metrics);
      summary.putAll(row);
      summary.putAll(totals.summary());
      Map<String, Object> internal = new LinkedHashMap<String, Object>();
      internal.put("runtime", (event.millis - runStartMillis) / 1000);
      summary.put("_wandb", internal);
    }
    byte[] summaryLine = RunSegment.summary(session.configuredEntity(), session.project(), run.id(), summary);
    if (summaryLine != null) {
      lines.add(summaryLine);
    }
    if (!delivery.lockSpool() && !warnedLock) {
      warnedLock = true;
      AgentLog.debug("cannot lock " + spool.dir() + " (another live JVM with the same run id holds it, or it cannot"
          + " be written); these rows are sent by that JVM or the next start");
    }
    if (!lines.isEmpty() && spool.appendLines(lines) != null) {
      sender.offer(KICK);
    }
  }

  @Override
  public void onTick() {}

  @Override
  public void onClose() {}

  /**
   * The history rows left in the run's directory, counted without parsing them: each segment is its
   * rows, one a line, and one summary line.
   */
  private long rowsOnDisk() {
    long rows = 0;
    for (Path segment : spool.segments()) {
      long lines = 0;
      try (InputStream in = Files.newInputStream(segment)) {
        byte[] buffer = new byte[65536];
        for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
          for (int i = 0; i < read; i++) {
            lines += buffer[i] == '\n' ? 1 : 0;
          }
        }
      } catch (NoSuchFileException gone) {
        continue; // sent meanwhile
      } catch (IOException e) {
        AgentLog.debug("counting the rows in " + segment + ": " + e);
      }
      rows += Math.max(0, lines - 1);
    }
    return rows;
  }

  private static final class TraceEvent {
    final Span root;
    /** When the exporter handed the trace over: the row's {@code _timestamp} and {@code _runtime}. */
    final long millis;

    TraceEvent(Span root, long millis) {
      this.root = root;
      this.millis = millis;
    }
  }
}
