package ai.wandb.agent.api;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the spans of one trace share: the trace id, the span outside the agent its root continues (0
 * when none: an inbound W3C traceparent or the app's OpenTelemetry span), how many of its spans are
 * still open, and, for a latent trace (rooted in a web request), whether a GenAI span has made it worth
 * exporting.
 */
final class TraceState {
  final long idHigh;
  final long idLow;
  final long remoteParentId;
  final AtomicInteger openSpans = new AtomicInteger();
  volatile Span root;
  final boolean latent;
  private final AtomicBoolean exported;

  TraceState(long idHigh, long idLow, long remoteParentId, boolean latent) {
    this.idHigh = idHigh;
    this.idLow = idLow;
    this.remoteParentId = remoteParentId;
    this.latent = latent;
    this.exported = new AtomicBoolean(!latent);
  }

  boolean exported() {
    return exported.get();
  }

  /** True for the one call that turned a latent trace into one to export. */
  boolean markExported() {
    return exported.compareAndSet(false, true);
  }
}
