package ai.wandb.agent.export.weave;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.export.Sink;
import ai.wandb.agent.export.SinkWorker;
import ai.wandb.agent.export.TraceJson;
import ai.wandb.agent.export.wandb.WandbApiException;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.export.wandb.WandbUrls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every span as a Weave call. A call starts when its span starts (so a long agent run shows while it
 * runs) and ends when its trace has ended; start and end items go out in batches through
 * {@code /call/upsert_batch}, or, once the server asks for it, as completed calls through
 * {@code calls/complete}. The exporter thread only builds the call fields; the network is on this
 * sink's own worker.
 */
public final class WeaveSink implements Sink, SinkWorker.Handler {
  private static final int BATCH_ITEMS = 100;
  private static final int MAX_OPEN_CALLS = 10000;

  private final WandbSession session;
  private final WeaveCalls calls;
  private final WeaveClient client;
  private final SinkWorker worker;
  private final long closeTimeoutMillis;
  /** Exporter thread only: spans whose start was already handed to the worker. */
  private final Set<Span> startsSent = new HashSet<Span>();

  // Worker thread only.
  private final List<Map<String, Object>> pending = new ArrayList<Map<String, Object>>();
  private final Map<String, Map<String, Object>> openStarts = new LinkedHashMap<String, Map<String, Object>>();
  private boolean completeMode;
  private boolean ready;
  private boolean disabled;
  private boolean warnedUnreachable;
  private String entity;
  private volatile String location;
  private final boolean announceLocation;

  public WeaveSink(WandbSession session, String agentVersion, long flushIntervalMillis, int queueCapacity,
      long closeTimeoutMillis) {
    this.session = session;
    this.calls = new WeaveCalls(agentVersion);
    this.client = new WeaveClient(session.http(), session.traceServerUrl());
    this.worker = new SinkWorker("wandb-agent-weave", queueCapacity, flushIntervalMillis, this);
    this.closeTimeoutMillis = closeTimeoutMillis;
    if (session.configuredEntity() != null) {
      location = WandbUrls.weaveTracesUrl(session.appUrl(), session.configuredEntity(), session.project());
    }
    this.announceLocation = location == null;
  }

  @Override
  public String name() {
    return "weave";
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public boolean wantsStartEvents() {
    return true;
  }

  @Override
  public void spanStarted(Span span) {
    if (startsSent.size() < MAX_OPEN_CALLS && worker.offer(new Event(calls.start(span), null))) {
      startsSent.add(span);
    }
  }

  @Override
  public void export(List<Span> roots) {
    for (Span root : roots) {
      for (Span span : TraceJson.flatten(root)) {
        Map<String, Object> start = startsSent.remove(span) ? null : calls.start(span);
        worker.offer(new Event(start, calls.end(span)));
      }
    }
  }

  @Override
  public void close() {
    worker.close(session.http().closeWithin(closeTimeoutMillis));
  }

  // ---- worker thread ----

  @Override
  public void onItems(List<Object> items) {
    for (Object item : items) {
      Event event = (Event) item;
      if (event.start != null) {
        addStart(event.start);
      }
      if (event.end != null) {
        addEnd(event.end);
      }
    }
    if (pending.size() >= BATCH_ITEMS) {
      flush();
    }
    if (pending.size() > MAX_OPEN_CALLS) {
      // W&B stays unreachable: keep the newest items, count the rest.
      int excess = pending.size() - MAX_OPEN_CALLS;
      pending.subList(0, excess).clear();
      AgentLog.debug("dropped " + excess + " Weave item(s) while W&B was unreachable");
    }
  }

  @Override
  public void onTick() {
    flush();
  }

  @Override
  public void onClose() {
    flush();
    if (completeMode && !openStarts.isEmpty()) {
      AgentLog.debug(openStarts.size() + " Weave call(s) never ended; calls/complete cannot take them");
    }
  }

  private void addStart(Map<String, Object> start) {
    if (openStarts.size() < MAX_OPEN_CALLS) {
      openStarts.put((String) start.get("id"), start);
    }
    if (!completeMode) {
      pending.add(item("start", start));
    }
  }

  private void addEnd(Map<String, Object> end) {
    String id = (String) end.get("id");
    if (!completeMode) {
      openStarts.remove(id);
      pending.add(item("end", end));
      return;
    }
    Map<String, Object> start = openStarts.remove(id);
    if (start == null) {
      AgentLog.debug("Weave call " + id + " ended without a known start; not sent in complete mode");
      return;
    }
    pending.add(WeaveCalls.complete(start, end));
  }

  private Map<String, Object> item(String mode, Map<String, Object> fields) {
    Map<String, Object> item = new LinkedHashMap<String, Object>();
    item.put("mode", mode);
    Map<String, Object> req = new LinkedHashMap<String, Object>();
    req.put(mode, fields);
    item.put("req", req);
    return item;
  }

  private void flush() {
    if (pending.isEmpty() || disabled || !prepare()) {
      return;
    }
    List<Map<String, Object>> batch = new ArrayList<Map<String, Object>>(pending);
    pending.clear();
    String projectId = entity + "/" + session.project();
    if (completeMode) {
      client.complete(entity, session.project(), inProject(batch, projectId, false));
      return;
    }
    try {
      client.upsertBatch(inProject(batch, projectId, true));
    } catch (WeaveClient.CompleteModeRequired switched) {
      AgentLog.debug("the trace server asks for calls/complete; switching");
      completeMode = true;
      for (Map<String, Object> item : batch) {
        Map<?, ?> req = (Map<?, ?>) item.get("req");
        if ("start".equals(item.get("mode"))) {
          @SuppressWarnings("unchecked") // built by item()
          Map<String, Object> start = (Map<String, Object>) req.get("start");
          openStarts.put((String) start.get("id"), start);
        } else {
          @SuppressWarnings("unchecked") // built by item()
          Map<String, Object> end = (Map<String, Object>) req.get("end");
          addEnd(end);
        }
      }
      flush();
    }
  }

  private static List<Map<String, Object>> inProject(List<Map<String, Object>> batch, String projectId, boolean items) {
    List<Map<String, Object>> out = new ArrayList<Map<String, Object>>(batch.size());
    for (Map<String, Object> entry : batch) {
      if (!items) {
        out.add(WeaveCalls.inProject(entry, projectId));
        continue;
      }
      String mode = (String) entry.get("mode");
      @SuppressWarnings("unchecked") // built by item()
      Map<String, Object> fields = (Map<String, Object>) ((Map<?, ?>) entry.get("req")).get(mode);
      Map<String, Object> item = new LinkedHashMap<String, Object>();
      item.put("mode", mode);
      Map<String, Object> req = new LinkedHashMap<String, Object>();
      req.put(mode, WeaveCalls.inProject(fields, projectId));
      item.put("req", req);
      out.add(item);
    }
    return out;
  }

  /** Resolves the entity and makes sure the project exists, once; false while that is not possible. */
  private boolean prepare() {
    if (ready) {
      return true;
    }
    try {
      entity = session.entity();
    } catch (WandbApiException e) {
      if (e.status() == 401 || e.status() == 403 || e.status() == 200) {
        disabled = true;
        AgentLog.warn("Weave traces are off: " + e.getMessage() + " (check WANDB_API_KEY)");
      } else {
        warnUnreachable(e.getMessage());
      }
      return false;
    } catch (IOException e) {
      warnUnreachable(e.toString());
      return false;
    }
    try {
      session.graphql().upsertModel(entity, session.project());
    } catch (IOException e) {
      // The project may exist already or the server may create it on first write.
      AgentLog.debug("creating the project " + entity + "/" + session.project() + ": " + e.getMessage());
    }
    ready = true;
    String url = WandbUrls.weaveTracesUrl(session.appUrl(), entity, session.project());
    if (announceLocation) {
      AgentLog.info("Weave traces: " + url);
    }
    location = url;
    return true;
  }

  private void warnUnreachable(String why) {
    String line = "cannot reach W&B at " + session.apiUrl() + " for Weave (" + why + "); retrying";
    if (warnedUnreachable) {
      AgentLog.debug(line);
    } else {
      warnedUnreachable = true;
      AgentLog.warn(line);
    }
  }

  private static final class Event {
    final Map<String, Object> start;
    final Map<String, Object> end;

    Event(Map<String, Object> start, Map<String, Object> end) {
      this.start = start;
      this.end = end;
    }
  }
}
