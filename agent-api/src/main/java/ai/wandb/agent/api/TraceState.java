package ai.wandb.agent.api;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the spans of one trace share: the trace id, the span outside the agent its root continues (0
 * when none) and how many of its spans are still open.
 */
final class TraceState {
  final long idHigh;
  final long idLow;
  final long remoteParentId;
  final AtomicInteger openSpans = new AtomicInteger();
  volatile Span root;

  TraceState(long idHigh, long idLow, long remoteParentId) {
    this.idHigh = idHigh;
    this.idLow = idLow;
    this.remoteParentId = remoteParentId;
  }
}
