package ai.wandb.agent.export.http;

import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which answers are retried and how long to wait, per the references: the W&B API retries everything
 * but a fixed set of 4xx ({@code UpsertBucket} has its own set), the Weave trace server only 429 and
 * 5xx; backoff is exponential with jitter, and a {@code Retry-After} (seconds or an HTTP date) wins.
 */
public final class RetryPolicy {
  private static final Set<Integer> WANDB_FINAL = set(400, 401, 403, 404, 409, 410, 413, 422, 501);
  private static final Set<Integer> UPSERT_BUCKET_FINAL = set(400, 401, 403, 404, 410, 413, 422, 501);

  private final int maxAttempts;
  private final long initialMillis;
  private final long maxMillis;
  private final Set<Integer> finalStatuses;
  private final boolean onlyTooManyAnd5xx;

  private RetryPolicy(int maxAttempts, long initialMillis, long maxMillis, Set<Integer> finalStatuses,
      boolean onlyTooManyAnd5xx) {
    this.maxAttempts = maxAttempts;
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
    this.finalStatuses = finalStatuses;
    this.onlyTooManyAnd5xx = onlyTooManyAnd5xx;
  }

  /** GraphQL and file_stream: 2 s doubling to 60 s. The agent gives up sooner than the SDK's days. */
  public static RetryPolicy wandb(int maxAttempts) {
    return new RetryPolicy(maxAttempts, 2000, 60000, WANDB_FINAL, false);
  }

  /** {@code UpsertBucket} also retries 409 (a concurrent upsert of the same run). */
  public static RetryPolicy upsertBucket(int maxAttempts) {
    return new RetryPolicy(maxAttempts, 2000, 60000, UPSERT_BUCKET_FINAL, false);
  }

  /** The trace server: 429, 5xx and I/O errors, 1 s doubling, 3 attempts like the Python client. */
  public static RetryPolicy weave() {
    return new RetryPolicy(3, 1000, 300000, Collections.<Integer>emptySet(), true);
  }

  /**
   * OTLP/HTTP: the specification retries 429, 502, 503 and 504 (with {@code Retry-After}); like the trace
   * server, every 5xx but 501 and I/O errors are retried here, 1 s doubling, 3 attempts per send.
   */
  public static RetryPolicy otlp() {
    return new RetryPolicy(3, 1000, 300000, Collections.<Integer>emptySet(), true);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public boolean retryable(int status) {
    if (status >= 200 && status < 300) {
      return false;
    }
    if (onlyTooManyAnd5xx) {
      return status == 429 || (status >= 500 && status != 501) || status == 0;
    }
    return !finalStatuses.contains(status);
  }

  /**
   * The wait before attempt {@code attempt + 1} (attempt counts from 0), with {@code jitter} in [0, 1)
   * adding up to 25 %.
   */
  public long waitMillis(int attempt, String retryAfter, double jitter, long nowMillis) {
    long fromHeader = retryAfterMillis(retryAfter, nowMillis);
    if (fromHeader >= 0) {
      return Math.min(fromHeader, maxMillis);
    }
    double base = initialMillis * Math.pow(2, Math.min(attempt, 20));
    return (long) Math.min(maxMillis, base * (1 + 0.25 * jitter));
  }

  /** {@code Retry-After} in milliseconds, or -1 when absent or unreadable. */
  static long retryAfterMillis(String value, long nowMillis) {
    if (value == null || value.trim().isEmpty()) {
      return -1;
    }
    String text = value.trim();
    try {
      return Math.max(0, Long.parseLong(text) * 1000);
    } catch (NumberFormatException notSeconds) {
      SimpleDateFormat format = new SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss zzz", Locale.US);
      try {
        Date date = format.parse(text);
        return Math.max(0, date.getTime() - nowMillis);
      } catch (ParseException notDate) {
        return -1;
      }
    }
  }

  private static Set<Integer> set(Integer... statuses) {
    return new HashSet<Integer>(Arrays.asList(statuses));
  }
}
