package ai.wandb.agent.api;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * What the spans of one trace share: the trace id, the span outside the agent its root continues (0
 * when none: an inbound W3C traceparent or the app's OpenTelemetry span), how many of its spans are
 * still open, and, for a latent trace (rooted in a web request), whether a GenAI span has made it worth
 * exporting.
 */
final class TraceState {
  // Field updaters rather than atomic objects: a trace per call is two allocations fewer on the app thread.
  private static final AtomicIntegerFieldUpdater<TraceState> OPEN_SPANS =
      AtomicIntegerFieldUpdater.newUpdater(TraceState.class, "openSpans");
  private static final AtomicIntegerFieldUpdater<TraceState> EXPORTED =
      AtomicIntegerFieldUpdater.newUpdater(TraceState.class, "exported");

  final long idHigh;
  final long idLow;
  final long remoteParentId;
  private volatile int openSpans;
  volatile Span root;
  final boolean latent;
  private volatile int exported;
  /** Tentative spans neither confirmed nor dissolved: while 0, a start checks no ancestor for one. */
  volatile int tentativesOpen;

  TraceState(long idHigh, long idLow, long remoteParentId, boolean latent) {
    this.idHigh = idHigh;
    this.idLow = idLow;
    this.remoteParentId = remoteParentId;
    this.latent = latent;
    this.exported = latent ? 0 : 1;
  }

  boolean exported() {
    return exported != 0;
  }

  /** True for the one call that turned a latent trace into one to export. */
  boolean markExported() {
    return EXPORTED.compareAndSet(this, 0, 1);
  }

  void spanOpened() {
    OPEN_SPANS.incrementAndGet(this);
  }

  /** True when the span that closed was the trace's last open one. */
  boolean spanClosed() {
    return OPEN_SPANS.decrementAndGet(this) == 0;
  }
}
