package ai.wandb.agent.export.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WandbHttpTest {
  private final Deque<Object> answers = new ArrayDeque<>();
  private final List<Map<String, String>> sentHeaders = new ArrayList<>();
  private final List<Long> waits = new ArrayList<>();
  private final HttpTransport transport = (method, url, headers, body, timeout) -> {
    sentHeaders.add(headers);
    Object next = answers.removeFirst();
    if (next instanceof IOException e) {
      throw e;
    }
    return (HttpResult) next;
  };
  private final WandbHttp http = new WandbHttp(transport, "secret-key", "test", waits::add, 1000);

  @Test
  void sendsBasicAuthWithUserApiAndTheKey() throws Exception {
    answers.add(new HttpResult(200, "{}", null));
    http.postJson("http://127.0.0.1/graphql", "{}", RetryPolicy.wandb(3));
    assertEquals("Basic " + Base64.getEncoder().encodeToString("api:secret-key".getBytes(StandardCharsets.UTF_8)),
        sentHeaders.get(0).get("Authorization"));
  }

  @Test
  void retriesHonouringRetryAfterUntilSuccess() throws Exception {
    answers.add(new HttpResult(429, "", "3"));
    answers.add(new ConnectException("refused"));
    answers.add(new HttpResult(200, "{\"ok\":true}", null));

    HttpResult result = http.postJson("http://127.0.0.1/x", "{}", RetryPolicy.weave());

    assertEquals(200, result.status());
    assertEquals(3000L, waits.get(0));
    assertEquals(2, waits.size());
  }

  @Test
  void aFinalStatusIsReturnedAtOnceAndTheLastIoFailureIsThrown() throws Exception {
    answers.add(new HttpResult(400, "bad", null));
    assertEquals(400, http.postJson("http://127.0.0.1/x", "{}", RetryPolicy.wandb(5)).status());
    assertEquals(List.of(), waits);

    answers.add(new ConnectException("a"));
    answers.add(new ConnectException("b"));
    assertThrows(ConnectException.class, () -> http.postJson("http://127.0.0.1/x", "{}", RetryPolicy.wandb(2)));
  }

  @Test
  void noWaitEndsAfterTheShutdownDeadline() throws Exception {
    http.deadline(System.currentTimeMillis() + 500);
    answers.add(new HttpResult(503, "", "30"));
    assertEquals(503, http.postJson("http://127.0.0.1/x", "{}", RetryPolicy.weave()).status());
    assertEquals(List.of(), waits);
  }
}
