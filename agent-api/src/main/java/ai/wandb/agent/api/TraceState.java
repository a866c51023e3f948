package ai.wandb.agent.api;

import java.util.concurrent.atomic.AtomicInteger;

/** What the spans of one trace share: the trace id and how many of its spans are still open. */
final class TraceState {
  final long idHigh;
  final long idLow;
  final AtomicInteger openSpans = new AtomicInteger();
  volatile Span root;

  TraceState(long idHigh, long idLow) {
    this.idHigh = idHigh;
    this.idLow = idLow;
  }
}
