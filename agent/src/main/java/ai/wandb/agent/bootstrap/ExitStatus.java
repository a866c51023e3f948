package ai.wandb.agent.bootstrap;

import ai.wandb.agent.export.run.RunSink;

/**
 * The exit status reported to the W&B run. A shutdown hook cannot read the JVM's exit status: the
 * status of {@code System.exit(n)} is recorded by {@link RuntimeExitInstrumentation}; a JVM that ends
 * otherwise through its hooks (main returned, SIGTERM, Ctrl-C) finishes its run with 0. A JVM killed
 * without running hooks never finishes the run, and W&B shows it as crashed once heartbeats stop.
 */
final class ExitStatus implements RunSink.ExitCode {
  @Override
  public int get() {
    Integer recorded = RuntimeExitInstrumentation.recorded();
    return recorded != null ? recorded : 0;
  }
}
