package ai.wandb.agent.api;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the spans of one trace share: the trace id, how many of its spans are still open, and, for a
 * latent trace (rooted in a web request), whether a GenAI span has made it worth exporting.
 */
final class TraceState {
  final long idHigh;
  final long idLow;
  final AtomicInteger openSpans = new AtomicInteger();
  volatile Span root;
  final boolean latent;
  /** The span id of an inbound W3C traceparent's parent, 0 when there is none. */
  final long remoteParentId;
  private final AtomicBoolean exported;

  TraceState(long idHigh, long idLow) {
    this(idHigh, idLow, false, 0);
  }

  private TraceState(long idHigh, long idLow, boolean latent, long remoteParentId) {
    this.idHigh = idHigh;
    this.idLow = idLow;
    this.latent = latent;
    this.remoteParentId = remoteParentId;
    this.exported = new AtomicBoolean(!latent);
  }

  /** A latent trace, with the ids of {@code traceparent} when it is a valid W3C header. */
  static TraceState latent(String traceparent, ThreadLocalRandom random) {
    long[] ids = Traceparent.parse(traceparent);
    if (ids != null) {
      return new TraceState(ids[0], ids[1], true, ids[2]);
    }
    long high;
    long low;
    do {
      high = random.nextLong();
      low = random.nextLong();
    } while (high == 0 && low == 0);
    return new TraceState(high, low, true, 0);
  }

  boolean exported() {
    return exported.get();
  }

  /** True for the one call that turned a latent trace into one to export. */
  boolean markExported() {
    return exported.compareAndSet(false, true);
  }
}
