package ai.wandb.agent.export;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanListener;
import ai.wandb.agent.export.cost.Pricing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bridge between application threads and sinks: the app thread only offers to a bounded queue
 * (a full queue drops and counts, it never blocks); one daemon thread, started with the first span,
 * renders spans and hands them to every sink.
 */
public final class Exporter implements SpanListener {
  private static final int MAX_BATCH = 512;
  /**
   * How long the worker naps between batches while traces keep coming. Meanwhile app threads only
   * enqueue: waking a parked thread is a system call (microseconds on the app thread, per trace), so
   * only the first trace after the worker went idle pays it, at most once per nap. Long enough that a
   * steady trickle comes in batches: at a web server's 200 requests a second, a 5 ms nap gave one trace
   * per batch, and each batch paid for a wake-up, a file opened, locked and appended, and caches that
   * other threads had emptied (~170 µs of exporter CPU per trace, against ~85 µs in batches of ten).
   */
  private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** Queued items that cut a nap short, so that a burst never waits out the nap in a filling queue. */
  private static final int WAKE_AT = MAX_BATCH / 4;

  private final List<Sink> sinks;
  private final boolean anySinkWantsStarts;
  private final BlockingQueue<Object> queue;
  private final long flushIntervalMillis;
  private final int queueCapacity;
  private final ExportStats stats = new ExportStats();
  private final AtomicLong droppedSinceReport = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile Thread worker;
  /** The worker found the queue empty after a nap and parks until an app thread wakes it. */
  private volatile boolean idle;
  /** Items queued since the worker last drained the queue (about: it is reset just before a drain). */
  private final AtomicInteger queuedSinceDrain = new AtomicInteger();
  /**
   * The app's first span start goes to the worker whatever the sinks: the worker starts with the app's
   * first span instead of its first trace, prepares the sinks, reads the price table and renders that
   * span's inputs while the call is in flight. A one-call app that exits right after its answer otherwise
   * waits at exit for all of it, cold (docs/performance.md). Only the first: queueing every start until
   * the first trace was rendered let an app that opens many spans at once fill the queue with starts and
   * lose its first traces (the exporter benchmark dropped tens of thousands).
   */
  private volatile boolean warming = true;

  public Exporter(List<Sink> sinks, int queueCapacity, long flushIntervalMillis) {
    this.sinks = new ArrayList<Sink>(sinks);
    this.queueCapacity = queueCapacity;
    this.queue = new ArrayBlockingQueue<Object>(queueCapacity);
    this.flushIntervalMillis = flushIntervalMillis;
    boolean starts = false;
    for (Sink sink : sinks) {
      starts |= sink.wantsStartEvents();
    }
    this.anySinkWantsStarts = starts;
  }

  public ExportStats stats() {
    return stats;
  }

  @Override
  public void onStart(Span span) {
    if (anySinkWantsStarts || warmingStart()) {
      ensureWorker();
      if (queue.offer(span)) {
        queued();
      }
      wakeIfIdle();
    }
  }

  @Override
  public void onTraceEnd(Span root) {
    ensureWorker();
    if (queue.offer(new FinishedTrace(root))) {
      queued();
    } else {
      stats.tracesDropped.incrementAndGet();
      droppedSinceReport.incrementAndGet();
    }
    wakeIfIdle();
  }

  /** True for the first span start only (two racing threads may both get it, which costs one queue entry). */
  private boolean warmingStart() {
    if (!warming) {
      return false;
    }
    warming = false;
    return true;
  }

  /** The item that makes {@link #WAKE_AT} since the last drain wakes the napping worker. */
  private void queued() {
    if (queuedSinceDrain.incrementAndGet() == WAKE_AT) {
      Thread thread = worker;
      if (thread != null) {
        LockSupport.unpark(thread);
      }
    }
  }

  private void wakeIfIdle() {
    if (idle) {
      idle = false;
      Thread thread = worker;
      if (thread != null) {
        LockSupport.unpark(thread);
      }
    }
  }

  private void ensureWorker() {
    if (!started.get() && started.compareAndSet(false, true)) {
      Thread thread = new Thread(new Runnable() {
        @Override
        public void run() {
          work();
        }
      }, "wandb-agent-exporter");
      thread.setDaemon(true);
      worker = thread;
      thread.start();
    }
  }

  private void work() {
    for (Sink sink : sinks) {
      try {
        sink.prepare();
      } catch (Throwable t) {
        // the sink meets the same problem at its first export, and reports it there
        AgentLog.debug("preparing the " + sink.name() + " sink: " + t);
      }
    }
    try {
      Pricing.get();
    } catch (Throwable t) {
      AgentLog.debug("reading the price table: " + t);
    }
    List<Object> batch = new ArrayList<Object>(MAX_BATCH);
    while (!stopping || !queue.isEmpty()) {
      try {
        queuedSinceDrain.set(0);
        if (queue.drainTo(batch, MAX_BATCH) > 0) {
          process(batch);
          batch.clear();
          if (queue.size() < MAX_BATCH) {
            nap();
          }
        } else {
          idle = true;
          // Checked again after saying so: a trace enqueued just before saw idle still false.
          if (queue.isEmpty() && !stopping) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(flushIntervalMillis));
          }
          idle = false;
          if (queue.isEmpty()) {
            // A whole wait without a trace (a trace wakes the worker early): the app has gone quiet.
            for (Sink sink : sinks) {
              try {
                sink.idle();
              } catch (Throwable t) {
                AgentLog.debug("sink " + sink.name() + " failed when idle: " + t);
              }
            }
          }
        }
        if (Thread.interrupted()) {
          return;
        }
        reportDrops();
      } catch (Throwable t) {
        // A bug in a sink or a renderer must not kill the only exporter thread.
        AgentLog.debug("exporter loop: " + t);
      }
    }
  }

  /**
   * Parks for {@link #NAP_NANOS}, or until {@link #WAKE_AT} items have come since the drain. The count is
   * checked around each park, not just left to the unpark: a lock the worker waited for meanwhile (the
   * queue's, contended by app threads) may have used up the permit.
   */
  private void nap() {
    long deadline = System.nanoTime() + NAP_NANOS;
    for (long left = NAP_NANOS; left > 0 && queuedSinceDrain.get() < WAKE_AT && !stopping;
        left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(this, left);
    }
  }

  /** Renders and dispatches one batch; package-visible so tests drive it without the thread. */
  void process(List<Object> batch) {
    List<Span> roots = new ArrayList<Span>();
    long spans = 0;
    for (Object item : batch) {
      if (item instanceof FinishedTrace) {
        Span root = ((FinishedTrace) item).root;
        for (Span span : TraceJson.flatten(root)) {
          span.renderEnd();
          Pricing.annotate(span);
          spans++;
        }
        roots.add(root);
      } else if (item instanceof Span) {
        Span span = (Span) item;
        span.renderStart();
        for (Sink sink : sinks) {
          if (sink.wantsStartEvents()) {
            deliverStart(sink, span);
          }
        }
      }
    }
    if (roots.isEmpty()) {
      return;
    }
    for (Sink sink : sinks) {
      try {
        sink.export(roots);
      } catch (Throwable t) {
        stats.exportFailures.incrementAndGet();
        // A sink says what went wrong and how to fix it in its own words (FileSink names WANDB_DIR); a
        // second, generic line here would double every warning. The exit line counts failed exports.
        AgentLog.debug("could not export " + roots.size() + " trace(s) to " + sink.name() + ": " + t);
      }
    }
    stats.tracesExported.addAndGet(roots.size());
    stats.spansExported.addAndGet(spans);
  }

  private void deliverStart(Sink sink, Span span) {
    try {
      sink.spanStarted(span);
    } catch (Throwable t) {
      AgentLog.debug("sink " + sink.name() + " failed on a span start: " + t);
    }
  }

  private void reportDrops() {
    long dropped = droppedSinceReport.getAndSet(0);
    if (dropped > 0) {
      AgentLog.warn("dropped " + dropped + " trace(s): the export queue was full (wandb.queue_size="
          + queueCapacity + "); raise it or check that the sinks keep up");
    }
  }

  /**
   * Drains what is queued and closes the sinks, all within {@code timeoutMillis} from now: the sinks get
   * what the drain left of the bound, so the JVM's exit waits one bound, not one per stage. Whatever is
   * still queued when the bound runs out is counted as dropped; the network sinks have their own
   * batches on disk by then.
   */
  public void shutdown(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    stopping = true;
    Thread thread = worker;
    if (thread != null) {
      // Without this, a worker waiting for the next trace would notice only at its flush interval.
      LockSupport.unpark(thread);
      try {
        thread.join(Math.max(1, timeoutMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        thread.interrupt();
        int left = 0;
        for (Object item : queue) {
          if (item instanceof FinishedTrace) {
            left++;
          }
        }
        stats.tracesDropped.addAndGet(left);
        AgentLog.warn("shutdown flush took longer than " + timeoutMillis + " ms; " + left
            + " trace(s) not exported (wandb.shutdown_timeout_ms)");
      }
    }
    for (Sink sink : sinks) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        sink.close(Math.max(1, left));
      } catch (Throwable t) {
        AgentLog.debug("closing sink " + sink.name() + ": " + t);
      }
    }
  }

  private static final class FinishedTrace {
    final Span root;

    FinishedTrace(Span root) {
      this.root = root;
    }
  }
}
