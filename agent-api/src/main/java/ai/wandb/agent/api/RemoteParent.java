package ai.wandb.agent.api;

/**
 * The span a new trace continues when no agent span is current: the application's own OpenTelemetry
 * span, so that the agent's spans join the distributed trace the app is in. Asked on the application
 * thread, only when a trace starts; must be quick and must not throw.
 */
public interface RemoteParent {
  RemoteParent NONE = new RemoteParent() {
    @Override
    public long[] current() {
      return null;
    }
  };

  /** {@code {traceIdHigh, traceIdLow, spanId}} of the current span outside the agent, or {@code null}. */
  long[] current();
}
