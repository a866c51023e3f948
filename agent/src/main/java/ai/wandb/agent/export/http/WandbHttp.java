package ai.wandb.agent.export.http;

import ai.wandb.agent.api.AgentLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Authenticated JSON requests with retries. The key goes only into the {@code Authorization} header
 * (Basic, user {@code api}); nothing here prints it. Retries stop at the policy's attempt count or at
 * the deadline set for shutdown, whichever comes first.
 */
public final class WandbHttp {
  private final HttpTransport transport;
  private final String authorization;
  private final String userAgent;
  private final Sleeper sleeper;
  private final int timeoutMillis;
  private final Random random = new Random();
  private volatile long deadlineMillis = Long.MAX_VALUE;

  public WandbHttp(HttpTransport transport, String apiKey, String userAgent, Sleeper sleeper, int timeoutMillis) {
    this.transport = transport;
    // No key: a collector of the user's (the otlp exporter), which gets only the headers it was configured with.
    this.authorization = apiKey == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
    this.userAgent = userAgent;
    this.sleeper = sleeper;
    this.timeoutMillis = timeoutMillis;
  }

  /** From now on no wait may end after {@code epochMillis}: used by the shutdown flush. */
  public void deadline(long epochMillis) {
    this.deadlineMillis = epochMillis;
  }

  /**
   * Sets the shutdown deadline {@code budgetMillis} from now unless one is set already (the sinks
   * sharing this client close one after the other within one bound); returns the time left.
   */
  public synchronized long closeWithin(long budgetMillis) {
    long now = System.currentTimeMillis();
    if (deadlineMillis == Long.MAX_VALUE) {
      deadlineMillis = now + budgetMillis;
    }
    return Math.max(1, deadlineMillis - now);
  }

  public HttpResult get(String url, RetryPolicy policy) throws IOException {
    return send("GET", url, null, policy, null);
  }

  public HttpResult postJson(String url, String json, RetryPolicy policy) throws IOException {
    return postJson(url, json, policy, null);
  }

  /**
   * Posts until a final answer: a success, a status the policy does not retry, or the last attempt.
   * An I/O failure on the last attempt is thrown.
   */
  public HttpResult postJson(String url, String json, RetryPolicy policy, Map<String, String> extraHeaders)
      throws IOException {
    return send("POST", url, json.getBytes(StandardCharsets.UTF_8), policy, extraHeaders);
  }

  /** Posts a body of any type; {@code headers} name its {@code Content-Type} and win over the defaults. */
  public HttpResult post(String url, byte[] body, RetryPolicy policy, Map<String, String> headers) throws IOException {
    return send("POST", url, body, policy, headers);
  }

  private HttpResult send(String method, String url, byte[] body, RetryPolicy policy, Map<String, String> extra)
      throws IOException {
    Map<String, String> headers = new LinkedHashMap<String, String>();
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    headers.put("User-Agent", userAgent);
    headers.put("Accept", "application/json");
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    if (extra != null) {
      headers.putAll(extra);
    }
    for (int attempt = 0; ; attempt++) {
      HttpResult result = null;
      IOException failure = null;
      try {
        result = transport.send(method, url, headers, body, timeoutMillis);
      } catch (IOException e) {
        failure = e;
      }
      boolean retry = result == null ? true : policy.retryable(result.status());
      if (!retry || attempt + 1 >= policy.maxAttempts()) {
        if (result == null) {
          throw failure;
        }
        return result;
      }
      long now = System.currentTimeMillis();
      long wait = policy.waitMillis(attempt, result == null ? null : result.retryAfter(), random.nextDouble(), now);
      if (now + wait > deadlineMillis) {
        if (result == null) {
          throw failure;
        }
        return result;
      }
      AgentLog.debug(method + " " + url + " attempt " + (attempt + 1) + " failed ("
          + (result == null ? String.valueOf(failure) : "HTTP " + result.status()) + "); retrying in " + wait + " ms");
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (result == null) {
          throw failure;
        }
        return result;
      }
    }
  }
}
