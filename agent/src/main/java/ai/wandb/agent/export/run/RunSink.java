package ai.wandb.agent.export.run;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.Sink;
import ai.wandb.agent.export.SinkWorker;
import ai.wandb.agent.export.wandb.Bucket;
import ai.wandb.agent.export.wandb.WandbApiException;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.export.wandb.WandbUrls;
import java.io.IOException;
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

  private final WandbSession session;
  private final RunInfo run;
  private final RunSettings settings;
  private final String agentVersion;
  private final ExitCode exitCode;
  private final SinkWorker worker;
  private final long runStartMillis;
  private final boolean announceLocation;
  private volatile String location;

  // Worker thread only.
  private final SystemMetrics systemMetrics = new SystemMetrics();
  private final List<TraceEvent> waiting = new ArrayList<TraceEvent>();
  private final Map<String, Object> summary = new LinkedHashMap<String, Object>();
  private final RunTotals totals = new RunTotals();
  private RunConfig config;
  private Bucket bucket;
  private FileStream stream;
  private boolean disabled;
  private boolean configDirty;
  private long step;
  private long lastSendMillis;
  private long lastUpsertMillis;
  private long lastSampleMillis;

  public RunSink(WandbSession session, RunInfo run, RunSettings settings, String agentVersion, ExitCode exitCode,
      long tickMillis, int queueCapacity, long runStartMillis) {
    this.session = session;
    this.run = run;
    this.settings = settings;
    this.agentVersion = agentVersion;
    this.exitCode = exitCode;
    this.worker = new SinkWorker("wandb-agent-run", queueCapacity, tickMillis, this);
    this.runStartMillis = runStartMillis;
    if (session.configuredEntity() != null) {
      location = WandbUrls.runUrl(session.appUrl(), session.configuredEntity(), session.project(), run.id());
    }
    this.announceLocation = location == null;
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
    return dropped == 0 ? null : "run: " + dropped + " trace(s) dropped (the run sink's queue was full)";
  }

  // ---- worker thread ----

  @Override
  public void onItems(List<Object> items) {
    for (Object item : items) {
      if (waiting.size() < MAX_WAITING_TRACES) {
        waiting.add((TraceEvent) item);
      }
    }
    if (disabled || !ensureRun()) {
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
    stream = new FileStream(session.http(), WandbUrls.fileStreamUrl(session.apiUrl(), entity, project, runId),
        bucket.historyLineCount(), 3);
    String url = WandbUrls.runUrl(session.appUrl(), entity, project, runId);
    if (announceLocation || !url.equals(location)) {
      AgentLog.info("W&B run: " + url);
    }
    location = url;
    return true;
  }

  private void logWaiting() {
    long now = System.currentTimeMillis();
    for (TraceEvent event : waiting) {
      configDirty |= config.observe(event.parameters);
      Map<String, Object> row = new LinkedHashMap<String, Object>(event.metrics.row());
      row.put("_step", step++);
      row.put("_runtime", (now - runStartMillis) / 1000.0);
      row.put("_timestamp", now / 1000.0);
      stream.history(row);
      totals.add(event.metrics);
      summary.putAll(row);
      summary.putAll(totals.summary());
      Map<String, Object> internal = new LinkedHashMap<String, Object>();
      internal.put("runtime", (now - runStartMillis) / 1000);
      summary.put("_wandb", internal);
      stream.summary(summary);
    }
    waiting.clear();
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
}
