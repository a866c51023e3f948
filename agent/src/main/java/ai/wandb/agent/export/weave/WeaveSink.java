package ai.wandb.agent.export.weave;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.export.Sink;
import ai.wandb.agent.export.SinkWorker;
import ai.wandb.agent.export.TraceJson;
import ai.wandb.agent.export.run.RunLink;
import ai.wandb.agent.export.spool.Backoff;
import ai.wandb.agent.export.spool.Owners;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.export.wandb.WandbUrls;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every span as a Weave call. A call starts when its span starts (so a long agent run shows while it
 * runs) and ends when its trace has ended. The exporter thread only builds the call fields; this sink's
 * worker writes each batch to the spool, and a second thread, the sender, replays the spool oldest
 * segment first, deleting a segment once the trace server took it. The two are apart so that a hung
 * request never keeps a batch in memory only. So a batch survives a trace server that is down
 * (retried with backoff), a rejected key (kept for {@code sync}), the shutdown bound and a killed JVM
 * (replayed by the next start). Offline, batches stay in the spool.
 */
public final class WeaveSink implements Sink, SinkWorker.Handler {
  private static final int BATCH_ITEMS = 100;
  private static final int MAX_OPEN_CALLS = 10000;
  /**
   * Spooled bytes the sender puts in one request, then it starts the next: the Python client grows its
   * batches to 31 MiB ({@code reference/weave-api.md} 4); 2 MiB keeps what the sender holds small (the
   * lines, their items and the body: ~3 times this while a request is out).
   */
  static final long REQUEST_LINE_BYTES = 2L << 20;
  /** Wakes the sender: a segment was written, or earlier processes left some. */
  private static final Object KICK = new Object();

  private final WandbSession session;
  private final WeaveCalls calls;
  private final WeaveDelivery delivery;
  private final Spool spool;
  private final SinkWorker worker;
  private final SinkWorker sender;
  private final boolean offline;
  private final Backoff backoff;
  private final RunLink run;
  private final Owners owners;
  /** Exporter thread only: spans whose start was already handed to the worker. */
  private final Set<Span> startsSent = new HashSet<Span>();

  // Worker thread only.
  private final List<Map<String, Object>> pending = new ArrayList<Map<String, Object>>();
  // Sender thread only.
  private boolean disabled;
  private boolean warnedUnreachable;
  private volatile String location;
  private final boolean announceLocation;

  /** {@code run}: the W&B run this JVM writes, whose id and step each call carries; null when the run sink is off. */
  public WeaveSink(WandbSession session, String agentVersion, long flushIntervalMillis, int queueCapacity,
      Spool spool, boolean offline, RunLink run) {
    this(session, agentVersion, flushIntervalMillis, queueCapacity, spool, offline, run, Backoff.real(1000, 30000));
  }

  WeaveSink(WandbSession session, String agentVersion, long flushIntervalMillis, int queueCapacity, Spool spool,
      boolean offline, RunLink run, Backoff backoff) {
    this.session = session;
    this.calls = new WeaveCalls(agentVersion);
    this.run = run;
    this.owners = new Owners(spool.dir());
    this.delivery = new WeaveDelivery(session, new WeaveClient(session.http(), session.traceServerUrl()), spool,
        owners);
    this.spool = spool;
    this.offline = offline;
    this.backoff = backoff;
    this.worker = new SinkWorker("wandb-agent-weave", queueCapacity, flushIntervalMillis, this);
    this.sender = new SinkWorker("wandb-agent-weave-send", 4, flushIntervalMillis,
        SinkWorker.replaying(new SinkWorker.Replay() {
          @Override
          public void replay(boolean closing) {
            replayIfDue(closing);
          }
        }));
    if (offline) {
      location = spool.dir().toString();
    } else if (session.configuredEntity() != null) {
      location = WandbUrls.weaveTracesUrl(session.appUrl(), session.configuredEntity(), session.project());
    }
    this.announceLocation = location == null;
    if (!offline && (!spool.segments().isEmpty() || delivery.hasWaitingStarts())) {
      sender.offer(KICK);
    }
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
  public String exitNote() {
    long waiting = spool.segments().size();
    StringBuilder note = new StringBuilder();
    if (waiting > 0) {
      // Offline, the line already names the spool as this sink's location: say "weave:" once.
      note.append(offline ? waiting + " Weave batch(es) spooled there"
              : "weave: " + waiting + " batch(es) spooled in " + spool.dir() + " (replayed at the next start)")
          .append("; upload with: java -jar wandb-agent.jar sync");
    }
    long dropped = spool.dropped() + delivery.refused();
    if (dropped > 0) {
      note.append(note.length() == 0 ? "" : "; ").append("weave: ").append(dropped).append(" call item(s) dropped");
    }
    if (worker.dropped() > 0) {
      note.append(note.length() == 0 ? "" : "; ").append("weave: ").append(worker.dropped())
          .append(" span event(s) dropped (the Weave sink's queue was full)");
    }
    return note.length() == 0 ? null : note.toString();
  }

  @Override
  public boolean wantsStartEvents() {
    return true;
  }

  @Override
  public void spanStarted(Span span) {
    if (startsSent.size() < MAX_OPEN_CALLS && worker.offer(new Event(start(span), null, null))) {
      startsSent.add(span);
    }
  }

  @Override
  public void export(List<Span> roots) {
    for (Span root : roots) {
      for (Span span : TraceJson.flatten(root)) {
        Map<String, Object> start = startsSent.remove(span) ? null : start(span);
        Map<String, Object> end = calls.end(span);
        long step = run == null ? -1 : run.step();
        if (step >= 0) {
          end.put("wb_run_step_end", step);
        }
        worker.offer(new Event(start, end, WeaveCalls.timestamp(span.startEpochNanos())));
      }
    }
  }

  /** The call's start, with the run's current step when this JVM writes a run that exists. */
  private Map<String, Object> start(Span span) {
    Map<String, Object> start = calls.start(span);
    long step = run == null ? -1 : run.step();
    if (step >= 0) {
      start.put("wb_run_step", step);
    }
    return start;
  }

  @Override
  public void close(long timeoutMillis) {
    worker.close(session.http().closeWithin(timeoutMillis));
    sender.close(session.http().closeWithin(timeoutMillis));
  }

  // ---- worker thread ----

  @Override
  public void onItems(List<Object> items) {
    for (Object item : items) {
      Event event = (Event) item;
      if (event.start != null) {
        Map<String, Object> agentKeys = new LinkedHashMap<String, Object>();
        agentKeys.put(WeaveDelivery.OWNER, owners.token());
        if (run != null) {
          agentKeys.put(WeaveDelivery.RUN, run.runId());
        }
        pending.add(WeaveDelivery.entry("start", agentKeys, event.start));
      }
      if (event.end != null) {
        pending.add(WeaveDelivery.entry("end",
            Collections.<String, Object>singletonMap(WeaveDelivery.STARTED_AT, event.startedAt), event.end));
      }
    }
    if (pending.size() >= BATCH_ITEMS) {
      spoolPending();
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
    owners.touch();
    spool.append(pending);
    pending.clear();
    if (!offline) {
      sender.offer(KICK);
    }
  }

  // ---- sender thread ----

  /** Replays the spool unless offline, refused or still backing off (at close: whatever the backoff). */
  private void replayIfDue(boolean closing) {
    if (offline || disabled || (!closing && !backoff.due())) {
      return;
    }
    Closeable lock = spool.tryLock();
    if (lock == null) {
      return;
    }
    try {
      if (replay()) {
        // Every segment went: what is still waiting belongs to JVMs that are gone (or, closing, to this one).
        WeaveClient.Outcome abandoned = delivery.completeAbandoned(closing);
        if (closing && abandoned == WeaveClient.Outcome.SENT) {
          owners.release();
        }
      }
    } finally {
      try {
        lock.close();
      } catch (IOException e) {
        AgentLog.debug("releasing the spool lock: " + e);
      }
    }
  }

  /**
   * Sends the spool oldest segment first, as many segments a request as fit in {@link #REQUEST_LINE_BYTES}
   * (each segment is one worker batch, 100 items: one request each held the sender to one round trip
   * per 50 spans); true when none is left.
   */
  private boolean replay() {
    List<Path> segments = spool.segments();
    int next = 0;
    while (next < segments.size()) {
      List<Path> taken = new ArrayList<Path>();
      List<byte[]> lines = new ArrayList<byte[]>();
      long bytes = 0;
      while (next < segments.size() && bytes < REQUEST_LINE_BYTES) {
        Path segment = segments.get(next++);
        try {
          for (byte[] line : Spool.readLines(segment)) {
            lines.add(line);
            bytes += line.length;
          }
          taken.add(segment);
        } catch (IOException e) {
          AgentLog.debug("reading " + segment + ": " + e);
        }
      }
      if (taken.isEmpty()) {
        continue;
      }
      WeaveClient.Outcome outcome = delivery.send(lines);
      if (outcome == WeaveClient.Outcome.SENT || outcome == WeaveClient.Outcome.REFUSED) {
        for (Path segment : taken) {
          spool.delete(segment);
        }
        if (backoff.failures() > 0) {
          AgentLog.info("W&B is reachable again; sending the " + spool.segments().size()
              + " spooled Weave batch(es) left");
        }
        backoff.succeeded();
        announce();
        continue;
      }
      if (outcome == WeaveClient.Outcome.UNAUTHORIZED) {
        disabled = true;
        AgentLog.warn("W&B refused Weave traces (" + delivery.problem() + "); nothing more is sent to Weave by"
            + " this run and its traces stay in " + spool.dir() + ": set a valid WANDB_API_KEY"
            + " (https://wandb.ai/authorize) or WANDB_ENTITY, then run: java -jar wandb-agent.jar sync");
        return false;
      }
      long wait = backoff.failed();
      String line = "cannot reach W&B for Weave (" + delivery.problem() + "); traces are kept in " + spool.dir()
          + ", next try in " + wait + " ms";
      if (warnedUnreachable) {
        AgentLog.debug(line);
      } else {
        warnedUnreachable = true;
        AgentLog.warn(line);
      }
      return false;
    }
    return true;
  }

  private void announce() {
    String url = delivery.tracesUrl();
    if (url != null && !url.equals(location)) {
      if (announceLocation) {
        AgentLog.info("Weave traces: " + url);
      }
      location = url;
    }
  }

  private static final class Event {
    final Map<String, Object> start;
    final Map<String, Object> end;
    /** With an end: its call's start time, for an end whose start went out before complete mode. */
    final String startedAt;

    Event(Map<String, Object> start, Map<String, Object> end, String startedAt) {
      this.start = start;
      this.end = end;
      this.startedAt = startedAt;
    }
  }
}
