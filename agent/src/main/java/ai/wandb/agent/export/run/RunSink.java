package ai.wandb.agent.export.run;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.Sink;
import ai.wandb.agent.export.SinkWorker;
import ai.wandb.agent.export.spool.Backoff;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.Bucket;
import ai.wandb.agent.export.wandb.WandbApiException;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.export.wandb.WandbUrls;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One W&B run per JVM, created with the first trace (an app that never calls a model leaves no empty
 * run). Each finished trace is one history row: the {@code wb_trace_tree} under {@code trace} beside
 * its scalars; the summary keeps the latest values and totals; system metrics are sampled into
 * {@code wandb-events.jsonl}; at exit the run is marked complete with the exit code. Network work runs
 * on the sink's own worker at the reference's cadence (one file_stream request per 15 s, a heartbeat
 * when idle, config re-upserts debounced by 5 s).
 *
 * <p>Every history row is written to the run's spool directory ({@code spool/run/<run-id>/}, with its
 * {@code file_stream} offset and the summary after it) before it is sent, and its segment is deleted
 * once {@code file_stream} took it; a JVM killed in between leaves the segment to the next start (or
 * {@code sync}), which writes the rows at the same offsets of the same run ({@link RunReplay}). The
 * sink holds its directory's lock while it lives, so no other JVM replays a live run.
 */
public final class RunSink implements Sink, SinkWorker.Handler {
  /** The JVM's exit status at shutdown, where the agent can know it. */
  public interface ExitCode {
    int get();
  }

  static final long TRANSMIT_INTERVAL_MILLIS = 15000;
  static final long HEARTBEAT_MILLIS = 25000;
  static final long CONFIG_DEBOUNCE_MILLIS = 5000;
  static final long SAMPLE_INTERVAL_MILLIS = 15000;
  private static final int MAX_WAITING_TRACES = 1000;
  private static final int ATTEMPTS = 3;
  /** Starts the worker when earlier JVMs left rows, so they go even if this one logs no trace. */
  private static final Object KICK = new Object();

  private final WandbSession session;
  private final RunInfo run;
  private final RunSettings settings;
  private final String agentVersion;
  private final ExitCode exitCode;
  private final SinkWorker worker;
  private final long runStartMillis;
  private final boolean announceLocation;
  private volatile String location;
  private final Path spoolRoot;
  private final long spoolMaxBytes;
  private volatile String spoolNote;

  // Worker thread only.
  private final SystemMetrics systemMetrics = new SystemMetrics();
  private final List<TraceEvent> waiting = new ArrayList<TraceEvent>();
  private final Map<String, Object> summary = new LinkedHashMap<String, Object>();
  private final RunTotals totals = new RunTotals();
  private RunConfig config;
  private Bucket bucket;
  private FileStream stream;
  private boolean disabled;
  private String runEntity;
  private String runProject;
  private String runName;
  private boolean configDirty;
  private long step;
  private long lastSendMillis;
  private long lastUpsertMillis;
  private long lastSampleMillis;
  private Spool spool;
  private Closeable spoolLock;
  /** Spooled segments not yet taken by file_stream, with the last history offset each holds. */
  private final List<SpooledSegment> unconfirmed = new ArrayList<SpooledSegment>();
  private final Backoff leftovers = Backoff.real(1000, 30000);
  private boolean leftoversDone;

  public RunSink(WandbSession session, RunInfo run, RunSettings settings, String agentVersion, ExitCode exitCode,
      long tickMillis, int queueCapacity, long runStartMillis, Path spoolRoot, long spoolMaxBytes) {
    this.session = session;
    this.run = run;
    this.settings = settings;
    this.agentVersion = agentVersion;
    this.exitCode = exitCode;
    this.worker = new SinkWorker("wandb-agent-run", queueCapacity, tickMillis, this);
    this.runStartMillis = runStartMillis;
    this.spoolRoot = spoolRoot;
    this.spoolMaxBytes = spoolMaxBytes;
    if (session.configuredEntity() != null) {
      location = WandbUrls.runUrl(session.appUrl(), session.configuredEntity(), session.project(), run.id());
    }
    this.announceLocation = location == null;
    if (!RunReplay.runDirs(spoolRoot).isEmpty()) {
      worker.offer(KICK);
    }
  }

  @Override
  public String name() {
    return "run";
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public boolean wantsStartEvents() {
    return false;
  }

  @Override
  public void spanStarted(Span span) {}

  @Override
  public void export(List<Span> roots) {
    for (Span root : roots) {
      worker.offer(new TraceEvent(TraceMetrics.of(root), RunConfig.parametersOf(root)));
    }
  }

  @Override
  public void close(long timeoutMillis) {
    worker.close(session.http().closeWithin(timeoutMillis));
  }

  @Override
  public String exitNote() {
    long dropped = worker.dropped();
    String note = dropped == 0 ? null : "run: " + dropped + " trace(s) dropped (the run sink's queue was full)";
    String spooled = spoolNote;
    return spooled == null ? note : note == null ? spooled : note + "; " + spooled;
  }

  // ---- worker thread ----

  @Override
  public void onItems(List<Object> items) {
    replayLeftovers();
    for (Object item : items) {
      if (item instanceof TraceEvent && waiting.size() < MAX_WAITING_TRACES) {
        waiting.add((TraceEvent) item);
      }
    }
    if (disabled || (bucket == null && waiting.isEmpty()) || !ensureRun()) {
      return;
    }
    logWaiting();
    if (lastSendMillis == 0) {
      sample(System.currentTimeMillis());
      send();
    }
  }

  @Override
  public void onTick() {
    replayLeftovers();
    if (disabled || (bucket == null && (waiting.isEmpty() || !ensureRun()))) {
      return;
    }
    logWaiting();
    long now = System.currentTimeMillis();
    if (now - lastSampleMillis >= SAMPLE_INTERVAL_MILLIS) {
      sample(now);
    }
    if (configDirty && now - lastUpsertMillis >= CONFIG_DEBOUNCE_MILLIS) {
      upsert();
    }
    if (stream.hasData() && now - lastSendMillis >= TRANSMIT_INTERVAL_MILLIS) {
      send();
    } else if (now - lastSendMillis >= HEARTBEAT_MILLIS) {
      stream.heartbeat();
      lastSendMillis = now;
    }
  }

  @Override
  public void onClose() {
    if (disabled || (bucket == null && (waiting.isEmpty() || !ensureRun()))) {
      return;
    }
    logWaiting();
    sample(System.currentTimeMillis());
    if (configDirty) {
      upsert();
    }
    if (!stream.dead() && !stream.finish(exitCode.get())) {
      AgentLog.warn("could not mark the W&B run " + run.id() + " finished; it will show as crashed");
    }
    confirm();
    if (!unconfirmed.isEmpty()) {
      spoolNote = "run: " + (stream.nextHistoryOffset() - stream.acceptedHistoryOffset()) + " history row(s)"
          + " spooled in " + spool.dir() + " (replayed at the next start); upload with: java -jar wandb-agent.jar sync";
    }
    if (spoolLock != null) {
      RunReplay.close(spoolLock);
      spool.deleteIfEmpty();
    }
  }

  /** Replays the run directories earlier JVMs left (killed, or past the shutdown bound), once, with backoff. */
  private void replayLeftovers() {
    if (leftoversDone || disabled || !leftovers.due()) {
      return;
    }
    RunReplay.Result result = RunReplay.replayLeftovers(session, spoolRoot, run.id(), spoolMaxBytes, ATTEMPTS);
    if (result.rows > 0) {
      AgentLog.info("sent " + result.rows + " spooled history row(s) of earlier runs to W&B");
    }
    if (result.problem == null) {
      leftoversDone = true;
    } else {
      AgentLog.debug(result.problem + "; next try in " + leftovers.failed() + " ms");
    }
  }

  /** Deletes the segments whose rows file_stream has taken. */
  private void confirm() {
    while (!unconfirmed.isEmpty() && unconfirmed.get(0).lastOffset < stream.acceptedHistoryOffset()) {
      spool.delete(unconfirmed.remove(0).path);
    }
  }

  private boolean ensureRun() {
    if (bucket != null) {
      return true;
    }
    if (config == null) {
      // Built here, not in premain: the host name may need a DNS lookup.
      config = new RunConfig(agentVersion, settings.host(), settings.program);
    }
    for (TraceEvent event : waiting) {
      config.observe(event.parameters);
    }
    try {
      bucket = session.graphql().upsertBucket(settings.firstUpsert(run, session, config.json()));
    } catch (WandbApiException e) {
      if (e.status() != 429 && (e.status() < 500 || e.status() == 501)) {
        disabled = true;
        waiting.clear();
        AgentLog.warn("could not create the W&B run: " + e.getMessage() + "; the run sink is off");
      } else {
        AgentLog.debug("creating the W&B run: " + e.getMessage() + "; will retry");
      }
      return false;
    } catch (IOException e) {
      AgentLog.debug("creating the W&B run: " + e + "; will retry");
      return false;
    }
    lastUpsertMillis = System.currentTimeMillis();
    String entity = bucket.entity() != null ? bucket.entity() : session.configuredEntity();
    String project = bucket.project() != null ? bucket.project() : session.project();
    String runId = bucket.runId() != null ? bucket.runId() : run.id();
    long start = bucket.historyLineCount();
    if (spool == null) {
      spool = new Spool(spoolRoot.resolve(run.id()), spoolMaxBytes);
      spoolLock = spool.tryLock();
    }
    if (spoolLock != null) {
      // The same run id as a JVM that ended with rows unsent (WANDB_RUN_ID): those rows come first.
      RunReplay.Result replayed = RunReplay.replay(session, spool, ATTEMPTS);
      if (replayed.problem != null) {
        AgentLog.debug(replayed.problem + "; will retry");
        bucket = null;
        return false;
      }
      start = Math.max(start, replayed.nextOffset);
    }
    // _step follows the offset, so it keeps increasing in a resumed run.
    step = start;
    stream = new FileStream(session.http(), WandbUrls.fileStreamUrl(session.apiUrl(), entity, project, runId),
        start, ATTEMPTS);
    runEntity = entity;
    runProject = project;
    runName = runId;
    String url = WandbUrls.runUrl(session.appUrl(), entity, project, runId);
    if (announceLocation || !url.equals(location)) {
      AgentLog.info("W&B run: " + url);
    }
    location = url;
    return true;
  }

  private void logWaiting() {
    long now = System.currentTimeMillis();
    List<Map<String, Object>> entries = new ArrayList<Map<String, Object>>();
    for (TraceEvent event : waiting) {
      configDirty |= config.observe(event.parameters);
      Map<String, Object> row = new LinkedHashMap<String, Object>(event.metrics.row());
      row.put("_step", step++);
      row.put("_runtime", (now - runStartMillis) / 1000.0);
      row.put("_timestamp", now / 1000.0);
      long offset = stream.nextHistoryOffset();
      stream.history(row);
      if (stream.nextHistoryOffset() > offset) {
        Map<String, Object> entry = spoolEntry();
        entry.put(RunReplay.OFFSET, offset);
        entry.put(RunReplay.ROW, row);
        entries.add(entry);
      }
      totals.add(event.metrics);
      summary.putAll(row);
      summary.putAll(totals.summary());
      Map<String, Object> internal = new LinkedHashMap<String, Object>();
      internal.put("runtime", (now - runStartMillis) / 1000);
      summary.put("_wandb", internal);
      stream.summary(summary);
    }
    waiting.clear();
    if (!entries.isEmpty()) {
      long last = ((Number) entries.get(entries.size() - 1).get(RunReplay.OFFSET)).longValue();
      Map<String, Object> summaryEntry = spoolEntry();
      summaryEntry.put(RunReplay.SUMMARY, new LinkedHashMap<String, Object>(summary));
      entries.add(summaryEntry);
      Path segment = spool.appendSegment(entries);
      if (segment != null) {
        unconfirmed.add(new SpooledSegment(segment, last));
      }
    }
  }

  private Map<String, Object> spoolEntry() {
    Map<String, Object> entry = new LinkedHashMap<String, Object>();
    entry.put(RunReplay.ENTITY, runEntity);
    entry.put(RunReplay.PROJECT, runProject);
    entry.put(RunReplay.RUN, runName);
    return entry;
  }

  private void sample(long now) {
    Map<String, Object> row = systemMetrics.sample(totals.bytesSent, totals.bytesReceived);
    row.put("_wandb", true);
    row.put("_timestamp", now / 1000.0);
    row.put("_runtime", (now - runStartMillis) / 1000.0);
    stream.events(row);
    lastSampleMillis = now;
  }

  private void send() {
    stream.flush();
    confirm();
    lastSendMillis = System.currentTimeMillis();
  }

  private void upsert() {
    Map<String, Object> variables = new LinkedHashMap<String, Object>();
    variables.put("id", bucket.storageId());
    variables.put("name", bucket.runId() != null ? bucket.runId() : run.id());
    variables.put("project", bucket.project());
    variables.put("entity", bucket.entity());
    variables.put("config", config.json());
    try {
      session.graphql().upsertBucket(variables);
      configDirty = false;
    } catch (IOException e) {
      AgentLog.debug("updating the W&B run config: " + e.getMessage());
    }
    lastUpsertMillis = System.currentTimeMillis();
  }

  private static final class TraceEvent {
    final TraceMetrics metrics;
    final Map<String, Map<String, Object>> parameters;

    TraceEvent(TraceMetrics metrics, Map<String, Map<String, Object>> parameters) {
      this.metrics = metrics;
      this.parameters = parameters;
    }
  }

  private static final class SpooledSegment {
    final Path path;
    final long lastOffset;

    SpooledSegment(Path path, long lastOffset) {
      this.path = path;
      this.lastOffset = lastOffset;
    }
  }
}
