package ai.wandb.agent.export.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private long now = 1000;

  @Test
  void waitsDoubleUpToTheCapWithAtMostAQuarterOfJitter() {
    Backoff backoff = new Backoff(1000, 30000, () -> now, new Random(7));
    long[] bases = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (long base : bases) {
      long wait = backoff.failed();
      assertTrue(wait >= base && wait <= Math.min(30000, base * 5 / 4), wait + " for base " + base);
    }
  }

  @Test
  void theNextAttemptIsDueOnlyAfterTheWaitAndASuccessResets() {
    Backoff backoff = new Backoff(1000, 30000, () -> now, new Random(7));
    assertTrue(backoff.due());

    long wait = backoff.failed();
    assertFalse(backoff.due());
    now += wait - 1;
    assertFalse(backoff.due());
    now += 1;
    assertTrue(backoff.due());

    backoff.succeeded();
    assertEquals(0, backoff.failures());
    assertTrue(backoff.due());
    assertTrue(backoff.failed() < 1250, "back to the initial wait");
  }
}
