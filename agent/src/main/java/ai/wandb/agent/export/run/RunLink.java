package ai.wandb.agent.export.run;

/**
 * What the Weave sink needs to link its calls to the W&B run this JVM writes, as Weave's Python
 * client does ({@code wb_run_id}, {@code wb_run_step}): the run id, and the run's current step (the
 * step its next history row takes), known once the run exists.
 */
public final class RunLink {
  private final String runId;
  private volatile long step = -1;

  public RunLink(String runId) {
    this.runId = runId;
  }

  public String runId() {
    return runId;
  }

  /** The run's current step, or -1 while the run does not exist yet. */
  public long step() {
    return step;
  }

  void step(long next) {
    step = next;
  }
}
