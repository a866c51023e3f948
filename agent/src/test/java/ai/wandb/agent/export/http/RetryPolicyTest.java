package ai.wandb.agent.export.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void theWandbApiRetriesEverythingButTheFinalStatusesOfTheReference() {
    RetryPolicy policy = RetryPolicy.wandb(5);
    for (int status : List.of(400, 401, 403, 404, 409, 410, 413, 422, 501)) {
      assertFalse(policy.retryable(status), "final: " + status);
    }
    for (int status : List.of(408, 429, 500, 502, 503, 504)) {
      assertTrue(policy.retryable(status), "retried: " + status);
    }
    assertFalse(policy.retryable(200));
  }

  @Test
  void upsertBucketAlsoRetriesAConflict() {
    assertTrue(RetryPolicy.upsertBucket(5).retryable(409));
    assertFalse(RetryPolicy.upsertBucket(5).retryable(400));
  }

  @Test
  void theTraceServerRetriesOnlyTooManyRequestsAndServerErrors() {
    RetryPolicy policy = RetryPolicy.weave();
    assertTrue(policy.retryable(429) && policy.retryable(500) && policy.retryable(503));
    assertFalse(policy.retryable(400) || policy.retryable(401) || policy.retryable(413) || policy.retryable(422));
    assertEquals(3, policy.maxAttempts());
  }

  @Test
  void backoffDoublesWithAtMostAQuarterJitterAndIsCapped() {
    RetryPolicy policy = RetryPolicy.wandb(20);
    assertEquals(2000, policy.waitMillis(0, null, 0, 0));
    assertEquals(4000, policy.waitMillis(1, null, 0, 0));
    assertEquals(5000, policy.waitMillis(1, null, 1, 0));
    assertEquals(60000, policy.waitMillis(10, null, 0.5, 0));
  }

  @Test
  void retryAfterInSecondsOrAsAnHttpDateWins() {
    RetryPolicy policy = RetryPolicy.wandb(5);
    assertEquals(7000, policy.waitMillis(3, "7", 0.9, 0));
    long now = 784111777000L - 5000; // Sun, 06 Nov 1994 08:49:37 GMT minus 5 s
    assertEquals(5000, policy.waitMillis(0, "Sun, 06 Nov 1994 08:49:37 GMT", 0, now));
    assertEquals(2000, policy.waitMillis(0, "soon", 0, 0));
  }
}
