package ai.wandb.agent.export.run;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.SinkWorker;
import ai.wandb.agent.export.spool.Backoff;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.Bucket;
import ai.wandb.agent.export.wandb.WandbApiException;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.export.wandb.WandbUrls;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The run sink's network side, on its own thread, so that no W&B request ever stands between a trace
 * and the disk. Once the worker has spooled a row it creates the run (or resumes it: same run id),
 * replays the run's directory into it ({@link RunReplay}: what an earlier JVM left, and the rows that
 * waited for the run), then gives each new pending segment the next offsets, rewrites it and hands
 * its rows to {@code file_stream}, deleting the segment once all of them were taken. It also replays
 * the directories of earlier runs, samples system metrics, re-upserts the config and heartbeats, at
 * the reference's cadence (one {@code file_stream} request per 15 s, a heartbeat when idle, config
 * debounced by 5 s), and at close marks the run complete with the exit code.
 */
final class RunSender implements SinkWorker.Handler {
  private static final long TRANSMIT_INTERVAL_MILLIS = 15000;
  private static final long HEARTBEAT_MILLIS = 25000;
  private static final long CONFIG_DEBOUNCE_MILLIS = 5000;
  private static final long SAMPLE_INTERVAL_MILLIS = 15000;
  private static final int ATTEMPTS = 3;

  private final WandbSession session;
  private final RunInfo run;
  private final RunSettings settings;
  private final RunSink.ExitCode exitCode;
  private final RunConfig config;
  private final AtomicBoolean configDirty;
  private final RunTotals totals;
  private final Spool spool;
  private final Path spoolRoot;
  private final long spoolMaxBytes;
  private final long runStartMillis;
  private final RunLink link;
  private final boolean announceLocation;
  private volatile String location;
  /** Taken by the worker before its first write: while this JVM lives no other one replays its run. */
  private volatile Closeable lock;
  private volatile boolean disabled;

  // Sender thread only.
  private final SystemMetrics systemMetrics = new SystemMetrics();
  private final Backoff leftovers = Backoff.real(1000, 30000);
  private boolean leftoversDone;
  private Bucket bucket;
  private FileStream stream;
  private String runEntity;
  private String runProject;
  private String runName;
  private long lastSendMillis;
  private long lastUpsertMillis;
  private long lastSampleMillis;
  /** The summary last handed to the stream, as its content element, which the exit one extends. */
  private byte[] lastSummary;
  /** Segments whose rows are in the stream, with the last offset each holds, oldest first. */
  private final Map<Path, Long> inStream = new LinkedHashMap<Path, Long>();

  RunSender(WandbSession session, RunInfo run, RunSettings settings, RunSink.ExitCode exitCode, RunConfig config,
      AtomicBoolean configDirty, RunTotals totals, Spool spool, Path spoolRoot, long spoolMaxBytes,
      long runStartMillis, RunLink link) {
    this.link = link;
    this.session = session;
    this.run = run;
    this.settings = settings;
    this.exitCode = exitCode;
    this.config = config;
    this.configDirty = configDirty;
    this.totals = totals;
    this.spool = spool;
    this.spoolRoot = spoolRoot;
    this.spoolMaxBytes = spoolMaxBytes;
    this.runStartMillis = runStartMillis;
    if (session.configuredEntity() != null) {
      location = WandbUrls.runUrl(session.appUrl(), session.configuredEntity(), session.project(), run.id());
    }
    this.announceLocation = location == null;
  }

  String location() {
    return location;
  }

  /** Whether W&B refused the run for good (the worker then stops spooling rows). */
  boolean disabled() {
    return disabled;
  }

  /**
   * The worker's side: takes the run directory's lock unless held; false when another live JVM with
   * the same run id holds it (its sender then sends these rows too, or the next start does).
   */
  boolean lockSpool() {
    if (lock == null) {
      lock = spool.tryLock();
    }
    return lock != null;
  }

  @Override
  public void onItems(List<Object> kicks) {
    replayLeftovers();
    if (!runReady()) {
      return;
    }
    feed();
    if (lastSendMillis == 0) {
      // The first rows go at once, so the run shows while the app is still running.
      sample(System.currentTimeMillis());
      send();
    }
    drain();
  }

  @Override
  public void onTick() {
    replayLeftovers();
    if (!runReady()) {
      return;
    }
    feed();
    long now = System.currentTimeMillis();
    if (now - lastSampleMillis >= SAMPLE_INTERVAL_MILLIS) {
      sample(now);
    }
    if (configDirty.get() && now - lastUpsertMillis >= CONFIG_DEBOUNCE_MILLIS) {
      upsert();
    }
    if (stream.hasData() && now - lastSendMillis >= TRANSMIT_INTERVAL_MILLIS) {
      send();
      drain();
    } else if (stream.full()) {
      drain();
    } else if (now - lastSendMillis >= HEARTBEAT_MILLIS) {
      stream.heartbeat();
      lastSendMillis = now;
      checkStopped();
    }
  }

  @Override
  public void onClose() {
    Closeable held = lock;
    try {
      if (!runReady()) {
        return;
      }
      boolean sent = true;
      while (sent && feed()) {
        sent = stream.flush();
        confirm();
      }
      checkStopped();
      if (disabled) {
        return;
      }
      long now = System.currentTimeMillis();
      sample(now);
      Map<String, Object> summary = parsed(lastSummary);
      if (summary != null) {
        // As wandb-core's handleExit: the run lasted as long as the process, not until its last trace.
        summary.put("_runtime", (now - runStartMillis) / 1000.0);
        Map<String, Object> internal = new LinkedHashMap<String, Object>();
        internal.put("runtime", (now - runStartMillis) / 1000);
        summary.put("_wandb", internal);
        byte[] element = FileStream.element(summary, FileStream.SUMMARY);
        if (element != null) {
          stream.summary(element);
        }
      }
      if (configDirty.get()) {
        upsert();
      }
      if (!stream.dead() && !(sent && stream.finish(exitCode.get()))) {
        AgentLog.warn("could not mark the W&B run " + run.id() + " finished; it will show as crashed");
      }
      confirm();
    } finally {
      if (held != null) {
        RunReplay.close(held);
        spool.deleteIfEmpty();
      }
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

  /** Whether this JVM's run exists; created here once the worker has spooled a row and W&B answers. */
  private boolean runReady() {
    if (disabled || lock == null) {
      return false;
    }
    return bucket != null || (!spool.segments().isEmpty() && createRun());
  }

  private boolean createRun() {
    // Everything observed so far goes with this upsert; later changes mark the config again.
    configDirty.set(false);
    try {
      bucket = session.graphql().upsertBucket(settings.firstUpsert(run, session, config.json()));
    } catch (WandbApiException e) {
      if (e.status() != 429 && (e.status() < 500 || e.status() == 501)) {
        disabled = true;
        AgentLog.warn("could not create the W&B run: " + e.getMessage() + "; the run sink is off and its history"
            + " rows stay in " + spool.dir() + " (upload with: java -jar wandb-agent.jar sync)");
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
    // The rows that waited for the run, and those of an earlier JVM with the same run id, go first.
    RunReplay.Result replayed = RunReplay.replayInto(session, spool, entity, project, runId,
        bucket.historyLineCount(), ATTEMPTS);
    if (replayed.stopped) {
      location = WandbUrls.runUrl(session.appUrl(), entity, project, runId);
      stopped();
      return false;
    }
    if (replayed.problem != null) {
      AgentLog.debug(replayed.problem + "; will retry");
      bucket = null;
      return false;
    }
    stream = new FileStream(session.http(), WandbUrls.fileStreamUrl(session.apiUrl(), entity, project, runId),
        Math.max(bucket.historyLineCount(), replayed.nextOffset), ATTEMPTS);
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

  /** The summary a content element holds; null for none, or (said at debug) one that does not read back. */
  private static Map<String, Object> parsed(byte[] element) {
    if (element == null) {
      return null;
    }
    try {
      return Json.parseObject((String) Json.parse(element));
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("reading the run summary back: " + e);
      return null;
    }
  }

  /**
   * Hands the segments not in the stream yet to it, oldest first: pending rows get the stream's next
   * offsets, written into their segment before the stream sees them. Stops once the stream holds a full
   * request ({@link FileStream#full}; further segments wait on disk) or at a segment that cannot be
   * rewritten (it is tried again later). Returns whether any segment was added.
   */
  private boolean feed() {
    boolean fed = false;
    for (Path path : spool.segments()) {
      if (inStream.containsKey(path)) {
        continue;
      }
      if (stream.full()) {
        break;
      }
      RunSegment segment;
      try {
        segment = RunSegment.read(path);
      } catch (NoSuchFileException gone) {
        continue; // dropped for room since the listing
      } catch (IOException e) {
        AgentLog.debug("reading " + path + ": " + e);
        break;
      }
      long next = stream.nextHistoryOffset();
      if (segment.hasPending()) {
        segment.assignOffsets(next, runEntity, runProject, runName);
        if (!spool.replaceSegment(path, segment.lines())) {
          break;
        }
      }
      List<RunSegment.Row> rows = segment.rows();
      if (!rows.isEmpty() && rows.get(0).offset != next) {
        // Only an earlier JVM's rows can have other offsets, and those went with the run's creation.
        AgentLog.debug(path + " does not continue the stream at " + next + "; left for the next start");
        continue;
      }
      for (RunSegment.Row row : rows) {
        stream.history(row.element);
      }
      byte[] summary = segment.summary();
      if (summary != null) {
        lastSummary = summary;
        stream.summary(summary);
      }
      inStream.put(path, stream.nextHistoryOffset() - 1);
      fed = true;
    }
    link.step(stream.nextHistoryOffset());
    return fed;
  }

  /**
   * Sends full requests while the stream fills them from disk: wandb-core sends a buffer at the request
   * size at once, whatever its 15 s cadence ({@code reference/wandb-run-api.md} 3.3); waiting would hold a
   * fast logger to one request per interval (the exporter benchmark's run sink once delivered ~67 rows/s
   * and spooled the rest). Stops when a send fails, and when the rows waiting no longer fill a request.
   */
  private void drain() {
    while (stream.full() && send()) {
      feed();
    }
  }

  /** Deletes the segments whose rows file_stream has taken. */
  private void confirm() {
    for (Iterator<Map.Entry<Path, Long>> it = inStream.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Path, Long> segment = it.next();
      if (segment.getValue() >= stream.acceptedHistoryOffset()) {
        return;
      }
      spool.delete(segment.getKey());
      it.remove();
    }
  }

  private void sample(long now) {
    Map<String, Object> row = systemMetrics.sample(totals.bytesSent, totals.bytesReceived);
    row.put("_wandb", true);
    row.put("_timestamp", now / 1000.0);
    row.put("_runtime", (now - runStartMillis) / 1000.0);
    stream.events(row);
    lastSampleMillis = now;
  }

  /** Sends what the stream holds; true when all of it was taken. */
  private boolean send() {
    boolean sent = stream.flush();
    confirm();
    lastSendMillis = System.currentTimeMillis();
    checkStopped();
    return sent && !disabled;
  }

  /**
   * The run's Stop button: said once, then this run gets nothing more and its spooled rows are let go
   * (the next start must not replay them into it). The app keeps running; the agent never stops it.
   */
  private void checkStopped() {
    if (stream != null && stream.stopped() && !disabled) {
      stopped();
    }
  }

  private void stopped() {
    disabled = true;
    AgentLog.warn("the W&B run " + location + " was stopped from the W&B UI; nothing more is sent to it (the"
        + " application keeps running; Weave calls still go to Weave)");
    for (Path segment : spool.segments()) {
      spool.delete(segment);
    }
  }

  private void upsert() {
    configDirty.set(false);
    Map<String, Object> variables = new LinkedHashMap<String, Object>();
    variables.put("id", bucket.storageId());
    variables.put("name", bucket.runId() != null ? bucket.runId() : run.id());
    variables.put("project", bucket.project());
    variables.put("entity", bucket.entity());
    variables.put("config", config.json());
    try {
      session.graphql().upsertBucket(variables);
    } catch (IOException e) {
      configDirty.set(true);
      AgentLog.debug("updating the W&B run config: " + e.getMessage());
    }
    lastUpsertMillis = System.currentTimeMillis();
  }
}
