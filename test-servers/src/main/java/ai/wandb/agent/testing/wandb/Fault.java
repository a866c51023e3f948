package ai.wandb.agent.testing.wandb;

import java.util.Map;

/**
 * One injected failure for the next matching request: a status with body and headers (e.g. 429 with
 * {@code Retry-After}), a delay before the real answer, or a dropped connection.
 */
public record Fault(int status, String body, Map<String, String> headers, long delayMillis, boolean drop) {
  public static Fault status(int status) {
    return new Fault(status, "{\"reason\":\"injected " + status + "\"}", Map.of(), 0, false);
  }

  public static Fault retryAfter(int status, int seconds) {
    return new Fault(status, "{\"reason\":\"injected " + status + "\"}",
        Map.of("Retry-After", Integer.toString(seconds)), 0, false);
  }

  public static Fault delay(long millis) {
    return new Fault(0, null, Map.of(), millis, false);
  }

  /** The server reads the request, then closes the connection without answering. */
  public static Fault dropConnection() {
    return new Fault(0, null, Map.of(), 0, true);
  }

  boolean answersItself() {
    return status != 0;
  }
}
