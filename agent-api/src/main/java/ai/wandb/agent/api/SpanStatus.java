package ai.wandb.agent.api;

/** Outcome of a span. */
public enum SpanStatus {
  OK,
  ERROR
}
