package ai.wandb.agent.export;

import java.util.concurrent.atomic.AtomicLong;

/** Counters for the exit line and the drop warnings. */
public final class ExportStats {
  final AtomicLong tracesExported = new AtomicLong();
  final AtomicLong spansExported = new AtomicLong();
  final AtomicLong tracesDropped = new AtomicLong();
  final AtomicLong exportFailures = new AtomicLong();

  public long tracesExported() {
    return tracesExported.get();
  }

  public long spansExported() {
    return spansExported.get();
  }

  public long tracesDropped() {
    return tracesDropped.get();
  }

  public long exportFailures() {
    return exportFailures.get();
  }
}
