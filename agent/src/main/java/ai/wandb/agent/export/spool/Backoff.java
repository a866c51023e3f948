package ai.wandb.agent.export.spool;

import java.util.Random;

/**
 * When a sink that could not deliver tries again: exponential from {@code initialMillis} to
 * {@code maxMillis} with up to 25 % jitter (so many agents do not return to W&B in step); one success
 * resets it. Time comes from an injected clock, so tests need no sleeps.
 */
public final class Backoff {
  /** Milliseconds on some monotonic scale. */
  public interface Clock {
    long millis();
  }

  private final long initialMillis;
  private final long maxMillis;
  private final Clock clock;
  private final Random random;
  private int failures;
  private long nextMillis;

  public Backoff(long initialMillis, long maxMillis, Clock clock, Random random) {
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
    this.clock = clock;
    this.random = random;
  }

  public static Backoff real(long initialMillis, long maxMillis) {
    return new Backoff(initialMillis, maxMillis, new Clock() {
      @Override
      public long millis() {
        return System.nanoTime() / 1000000L;
      }
    }, new Random());
  }

  /** Whether the next attempt may run now. */
  public boolean due() {
    return failures == 0 || clock.millis() - nextMillis >= 0;
  }

  /** Records a failed attempt; returns the wait before the next one. */
  public long failed() {
    double base = initialMillis * Math.pow(2, Math.min(failures, 20));
    long wait = (long) Math.min(maxMillis, base * (1 + 0.25 * random.nextDouble()));
    failures++;
    nextMillis = clock.millis() + wait;
    return wait;
  }

  public void succeeded() {
    failures = 0;
  }

  public int failures() {
    return failures;
  }
}
