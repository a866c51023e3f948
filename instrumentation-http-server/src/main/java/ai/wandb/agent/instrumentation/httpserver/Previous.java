package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.Span;

/** What was current on a thread before a hook made a request's span current there: what its exit restores. */
final class Previous {
  final Span span;

  Previous(Span span) {
    this.span = span;
  }
}
