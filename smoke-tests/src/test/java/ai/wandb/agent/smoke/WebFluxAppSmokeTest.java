package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.SMOKE_APPS;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.io.File;
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
 * A Spring WebFlux 7 app on Reactor Netty under the real agent jar: a request whose two model calls run on
 * Reactor's boundedElastic threads is one trace rooted in the request; the health check leaves none.
 */
class WebFluxAppSmokeTest {
  private static final String CLASS_PATH = SMOKE_APPS.resolve("webflux-app/target/webflux-app.jar")
      + File.pathSeparator + SMOKE_APPS.resolve("webflux-app/target/lib") + File.separator + "*";
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @TempDir
  Path withAgent;

  @TempDir
  Path without;

  /** The app's answers to POST /ask, GET /health, POST /ask with a traceparent. */
  private static List<String> serve(JavaProcess app) throws Exception {
    try (OpenAiTestServer server = OpenAiTestServer.start()) {
      for (int i = 0; i < 4; i++) {
        server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));
      }
      JavaProcess.Running running = app.env("OPENAI_BASE_URL", server.baseUrl()).env("OPENAI_API_KEY", "test")
          .startMain(CLASS_PATH, "ai.wandb.smoke.webflux.WebFluxApp");
      String base = "http://127.0.0.1:" + awaitPort(running);
      HttpClient http = HttpClient.newHttpClient();
      List<String> answers = new ArrayList<>();
      for (String[] call : new String[][] {{"POST", "/ask", null}, {"GET", "/health", null},
          {"POST", "/ask", TRACEPARENT}}) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + call[1]));
        if (call[0].equals("POST")) {
          request.POST(HttpRequest.BodyPublishers.ofString("why is the sky blue"));
        }
        if (call[2] != null) {
          request.header("traceparent", call[2]);
        }
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        answers.add(answer.statusCode() + " " + answer.body());
      }
      running.closeInput();
      JavaProcess.Result result = running.await(120);
      assertEquals(0, result.exitCode(), result.stderr());
      return answers;
    }
  }

  private static String awaitPort(JavaProcess.Running running) throws Exception {
    for (int i = 0; i < 1200; i++) {
      String out = Files.readString(running.out());
      if (out.startsWith("listening ")) {
        return out.lines().findFirst().orElseThrow().substring("listening ".length());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the web app did not start: " + Files.readString(running.err()));
  }

  @Test
  void aRequestWhoseModelCallsRunOnReactorsSchedulerIsOneTraceAndTheHealthCheckLeavesNone() throws Exception {
    List<String> plain = serve(java().in(without));
    List<String> traced = serve(java().in(withAgent).withAgent(null));

    assertEquals(plain, traced, "the app answers the same with the agent");
    assertEquals("200 https://github.com/search?q=java+yaml+parser&type=repositories", traced.get(0));
    assertEquals("200 ok", traced.get(1));
    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(withAgent));
    assertEquals(2, traces.size(), traces.toString());
    for (Map<String, Object> root : traces) {
      assertEquals("POST /ask", root.get("name"));
      assertEquals("CHAIN", root.get("kind"));
      assertNull(root.get("parent_id"));
      Map<String, Object> attributes = object(root.get("attributes"));
      assertEquals("/ask", attributes.get("http.route"));
      assertEquals(200, ((Number) attributes.get("http.response.status_code")).intValue());
      List<Object> calls = list(root.get("children"));
      assertEquals(2, calls.size(), calls.toString());
      for (Object call : calls) {
        assertEquals("openai.chat.completions.create", object(call).get("name"));
        assertEquals(root.get("span_id"), object(call).get("parent_id"));
      }
    }
    assertNotEquals(TRACE_ID, traces.get(0).get("trace_id"));
    assertEquals(TRACE_ID, traces.get(1).get("trace_id"));
  }
}
