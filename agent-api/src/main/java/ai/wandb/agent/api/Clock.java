package ai.wandb.agent.api;

/** Time source, injectable so that tests control time instead of sleeping. */
public interface Clock {
  Clock SYSTEM = new Clock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
      return System.currentTimeMillis();
    }
  };

  /** Monotonic nanoseconds, for durations. */
  long nanoTime();

  /** Wall clock, read once to anchor the monotonic time to the epoch. */
  long currentTimeMillis();
}
