package ai.wandb.agent.export.otlp;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.export.Sink;
import ai.wandb.agent.export.SinkWorker;
import ai.wandb.agent.export.TraceJson;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.spool.Backoff;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.WandbApiException;
import ai.wandb.agent.export.wandb.WandbSession;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every span as an OTLP span, to a collector or to Weave's OTLP endpoint. The exporter thread maps
 * spans ({@link OtlpSpans}); this sink's worker writes them to the spool in batches; a second thread,
 * the sender, replays the spool oldest segment first as OTLP/HTTP protobuf requests and deletes a
 * segment once the collector took it, as the Weave sink does: a collector that is down is retried with
 * backoff, a refused key keeps the batches on disk, and what is left at exit is replayed by the next
 * start. Protobuf is loaded by the sender with the first request it sends.
 */
public final class OtlpSink implements Sink, SinkWorker.Handler {
  /** The OpenTelemetry SDK's default batch size. */
  private static final int BATCH_SPANS = 512;
  private static final Object KICK = new Object();

  private final OtlpSettings settings;
  private final WandbHttp http;
  private final WandbSession weave;
  private final String agentVersion;
  private final OtlpSpans spans;
  private final Spool spool;
  private final SinkWorker worker;
  private final SinkWorker sender;
  private final Backoff backoff;

  // Worker thread only.
  private final List<Map<String, Object>> pending = new ArrayList<Map<String, Object>>();
  // Sender thread only.
  private OtlpClient client;
  private OtlpEncoder encoder;
  private boolean disabled;
  private boolean warnedUnreachable;
  private String prepareProblem;
  // Read by exitNote on the shutdown thread.
  private long refused;

  /**
   * @param http sends with the W&B key when the target is Weave, with no key otherwise
   * @param weave the W&B session when the target is Weave (for the entity and project), else null
   */
  public OtlpSink(OtlpSettings settings, WandbHttp http, WandbSession weave, String agentVersion,
      boolean captureContent, long flushIntervalMillis, int queueCapacity, Spool spool) {
    this(settings, http, weave, agentVersion, captureContent, flushIntervalMillis, queueCapacity, spool,
        Backoff.real(1000, 30000));
  }

  OtlpSink(OtlpSettings settings, WandbHttp http, WandbSession weave, String agentVersion, boolean captureContent,
      long flushIntervalMillis, int queueCapacity, Spool spool, Backoff backoff) {
    this.settings = settings;
    this.http = http;
    this.weave = weave;
    this.agentVersion = agentVersion;
    this.spans = new OtlpSpans(captureContent, weave != null);
    this.spool = spool;
    this.backoff = backoff;
    this.worker = new SinkWorker("wandb-agent-otlp", queueCapacity, flushIntervalMillis, this);
    this.sender = new SinkWorker("wandb-agent-otlp-send", 4, flushIntervalMillis,
        SinkWorker.replaying(new SinkWorker.Replay() {
          @Override
          public void replay(boolean closing) {
            replayIfDue(closing);
          }
        }));
    if (!spool.segments().isEmpty()) {
      sender.offer(KICK);
    }
  }

  @Override
  public String name() {
    return "otlp";
  }

  @Override
  public String location() {
    return settings.displayUrl();
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
      for (Span span : TraceJson.flatten(root)) {
        worker.offer(spans.span(span));
      }
    }
  }

  @Override
  public void close(long timeoutMillis) {
    worker.close(http.closeWithin(timeoutMillis));
    sender.close(http.closeWithin(timeoutMillis));
  }

  @Override
  public String exitNote() {
    StringBuilder note = new StringBuilder();
    int waiting = spool.segments().size();
    if (waiting > 0) {
      note.append("otlp: ").append(waiting).append(" batch(es) spooled in ").append(spool.dir())
          .append(" (replayed at the next start)");
    }
    long dropped = spool.dropped() + worker.dropped() + refusedSpans();
    if (dropped > 0) {
      note.append(note.length() == 0 ? "" : "; ").append("otlp: ").append(dropped).append(" span(s) dropped");
    }
    return note.length() == 0 ? null : note.toString();
  }

  private synchronized long refusedSpans() {
    return refused;
  }

  // ---- worker thread ----

  @Override
  @SuppressWarnings("unchecked") // the exporter thread offers only span entries
  public void onItems(List<Object> items) {
    for (Object item : items) {
      pending.add((Map<String, Object>) item);
      if (pending.size() >= BATCH_SPANS) {
        spoolPending();
      }
    }
  }

  @Override
  public void onTick() {
    spoolPending();
  }

  @Override
  public void onClose() {
    spoolPending();
  }

  private void spoolPending() {
    if (pending.isEmpty()) {
      return;
    }
    spool.append(new ArrayList<Map<String, Object>>(pending));
    pending.clear();
    sender.offer(KICK);
  }

  // ---- sender thread ----

  private void replayIfDue(boolean closing) {
    if (disabled || (!closing && !backoff.due())) {
      return;
    }
    Closeable lock = spool.tryLock();
    if (lock == null) {
      return;
    }
    try {
      replay();
    } finally {
      try {
        lock.close();
      } catch (IOException e) {
        AgentLog.debug("releasing the spool lock: " + e);
      }
    }
  }

  private void replay() {
    for (Path segment : spool.segments()) {
      List<Map<String, Object>> entries;
      try {
        entries = Spool.read(segment);
      } catch (IOException e) {
        AgentLog.debug("reading " + segment + ": " + e);
        continue;
      }
      OtlpClient.Outcome outcome = connect();
      String problem;
      if (outcome == OtlpClient.Outcome.SENT) {
        outcome = client.send(encoder.encode(entries));
        problem = client.problem();
      } else {
        problem = prepareProblem;
      }
      if (outcome == OtlpClient.Outcome.SENT || outcome == OtlpClient.Outcome.REFUSED) {
        if (outcome == OtlpClient.Outcome.REFUSED) {
          synchronized (this) {
            refused += entries.size();
          }
          AgentLog.warn("dropped " + entries.size() + " span(s): " + problem);
        }
        spool.delete(segment);
        if (backoff.failures() > 0) {
          AgentLog.info(settings.displayUrl() + " is reachable again; sending the " + spool.segments().size()
              + " spooled OTLP batch(es) left");
        }
        backoff.succeeded();
        continue;
      }
      if (outcome == OtlpClient.Outcome.UNAUTHORIZED) {
        disabled = true;
        AgentLog.warn("the OTLP endpoint refused the traces (" + problem + "); nothing more is sent there by this"
            + " run and its spans stay in " + spool.dir() + (weave != null
                ? ": set a valid WANDB_API_KEY (https://wandb.ai/authorize)"
                : ": check otel.exporter.otlp.headers"));
        return;
      }
      long wait = backoff.failed();
      String line = "cannot reach the OTLP endpoint (" + problem + "); spans are kept in " + spool.dir()
          + ", next try in " + wait + " ms";
      if (warnedUnreachable) {
        AgentLog.debug(line);
      } else {
        warnedUnreachable = true;
        AgentLog.warn(line);
      }
      return;
    }
  }

  /**
   * The client and encoder, once: for Weave, after the entity is known (the resource names it, and
   * older servers read the {@code project_id} header), with the project created as the Weave sink does.
   */
  private OtlpClient.Outcome connect() {
    if (client != null) {
      return OtlpClient.Outcome.SENT;
    }
    Map<String, String> resource = new LinkedHashMap<String, String>(settings.resource);
    Map<String, String> headers = new LinkedHashMap<String, String>();
    if (weave != null) {
      String entity;
      try {
        entity = weave.entity();
      } catch (WandbApiException e) {
        prepareProblem = e.getMessage();
        boolean refusedKey = e.status() == 401 || e.status() == 403 || e.status() == 200;
        return refusedKey ? OtlpClient.Outcome.UNAUTHORIZED : OtlpClient.Outcome.LATER;
      } catch (IOException e) {
        prepareProblem = e.toString();
        return OtlpClient.Outcome.LATER;
      }
      try {
        weave.graphql().upsertModel(entity, weave.project());
      } catch (IOException e) {
        AgentLog.debug("creating the project " + entity + "/" + weave.project() + ": " + e.getMessage());
      }
      resource.put("wandb.entity", entity);
      resource.put("wandb.project", weave.project());
      headers.put("project_id", entity + "/" + weave.project());
    }
    encoder = new OtlpEncoder(resource, "wandb-agent", agentVersion);
    client = new OtlpClient(http, settings, headers);
    return OtlpClient.Outcome.SENT;
  }
}
