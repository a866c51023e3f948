package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.EXAMPLES;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spring AI example (a Spring Boot 3.5 fat jar on Spring AI 1.1) under the real agent jar: each HTTP
 * request is one trace, request → chat client → advisors → retriever → chat → tools → chat, and the app
 * answers what it answers without the agent.
 */
class SpringAiAssistantSmokeTest {
  private static final Path JAR = EXAMPLES.resolve("spring-ai-assistant/target/spring-ai-assistant.jar");
  private static final String QUESTION = "Can I cancel order A-17?";

  @TempDir
  Path withAgent;

  @TempDir
  Path without;

  /** The answers to {@code POST /ask} and {@code POST /ask/stream}, then the app stopped as a service is (SIGTERM). */
  private static List<String> serve(JavaProcess app) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    JavaProcess.Running running = app.startJar(JAR, "--server.port=" + port);
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      awaitUp(http, base, running);
      List<String> answers = new ArrayList<>();
      for (String path : List.of("/ask?customer=c1", "/ask/stream?customer=c2")) {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(QUESTION)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        answers.add(answer.body());
      }
      return answers;
    } finally {
      running.process().destroy();
      running.process().waitFor();
      String err = Files.readString(running.err());
      for (String line : err.lines().toList()) {
        assertTrue(line.startsWith("[wandb-agent]"), "stderr has only the agent's own lines: " + err);
      }
    }
  }

  private static void awaitUp(HttpClient http, String base, JavaProcess.Running running) throws Exception {
    for (int i = 0; i < 1200; i++) {
      try {
        http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        assertTrue(running.process().isAlive(), () -> "the app stopped: " + read(running.err()));
        Thread.sleep(50);
      }
    }
    throw new AssertionError("the app did not start: " + read(running.err()));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static Map<String, Object> child(Map<String, Object> span, String name) {
    for (Object child : list(span.get("children"))) {
      if (name.equals(object(child).get("name"))) {
        return object(child);
      }
    }
    throw new AssertionError("no " + name + " under " + span.get("name") + ": " + span.get("children"));
  }

  private static List<String> names(List<Object> spans) {
    return spans.stream().map(s -> (String) object(s).get("name")).toList();
  }

  @Test
  void eachRequestIsOneTreeWithRealToolsAndUsageCountedOnce() throws Exception {
    List<String> plain = serve(java().in(without));
    List<String> traced = serve(java().in(withAgent).withAgent(null));

    assertEquals(plain, traced, "the app answers the same with the agent");
    assertTrue(traced.get(0).contains("cannot be cancelled"), traced.get(0));

    List<Map<String, Object>> requests = TraceFiles.readTraces(TraceFiles.tracesDir(withAgent)).stream()
        .filter(t -> ((String) t.get("name")).startsWith("POST ")).toList();
    assertEquals(List.of("POST /ask", "POST /ask/stream"), requests.stream().map(t -> t.get("name")).toList());
    for (Map<String, Object> request : requests) {
      Map<String, Object> client = child(request, "spring_ai.chat_client");
      assertEquals("AGENT", client.get("kind"));
      Map<String, Object> qa = child(child(client, "spring_ai.advisor.MessageChatMemoryAdvisor"),
          "spring_ai.advisor.QuestionAnswerAdvisor");
      List<Object> steps = list(qa.get("children"));
      assertEquals(List.of("spring_ai.retriever", "spring_ai.chat", "spring_ai.tool.orderStatus",
          "spring_ai.tool.cancelOrder", "spring_ai.chat"), names(steps));
      Map<String, Object> retriever = object(steps.get(0));
      assertFalse(list(object(retriever.get("outputs")).get("documents")).isEmpty());

      Map<String, Object> status = object(steps.get(2));
      assertEquals("OK", status.get("status"));
      assertTrue(((Number) status.get("duration_ms")).doubleValue() >= 200, "the tool's real duration: " + status);
      Map<String, Object> cancel = object(steps.get(3));
      assertEquals("ERROR", cancel.get("status"));
      assertEquals("java.lang.IllegalStateException", object(cancel.get("error")).get("type"));

      long sum = 0;
      for (int i : new int[] {1, 4}) {
        Map<String, Object> usage = object(object(steps.get(i)).get("usage"));
        assertTrue(((Number) usage.get("total_tokens")).longValue() > 0, request.get("name") + ": usage " + usage);
        sum += ((Number) usage.get("total_tokens")).longValue();
      }
      Map<String, Object> totals = object(object(request.get("totals")).get("usage"));
      assertEquals(sum, ((Number) totals.get("total_tokens")).longValue(), "each round trip counted once");
    }
  }
}
