package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.SMOKE_APPS;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A web app on embedded Jetty (jakarta.servlet): requests are roots only when they did GenAI work. */
class ServletAppSmokeTest {
  private static final String CLASS_PATH = SMOKE_APPS.resolve("servlet-app/target/servlet-app.jar")
      + File.pathSeparator + SMOKE_APPS.resolve("servlet-app/target/lib") + File.separator + "*";
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @TempDir
  Path dir;

  private List<Map<String, Object>> serve(String agentSwitch) throws Exception {
    return serve(agentSwitch, "/ask", 200);
  }

  /** {@code ask} (its status {@code status}), {@code /health}, {@code ask} with a traceparent; the traces. */
  private List<Map<String, Object>> serve(String agentSwitch, String ask, int status) throws Exception {
    try (OpenAiTestServer server = OpenAiTestServer.start()) {
      for (int i = 0; i < 4; i++) {
        server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));
      }
      JavaProcess app = java().env("OPENAI_BASE_URL", server.baseUrl()).env("OPENAI_API_KEY", "test").in(dir)
          .withAgent(agentSwitch);
      JavaProcess.Running running = app.startMain(CLASS_PATH, "ai.wandb.smoke.servlet.WebApp");
      String port = awaitPort(running);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      HttpResponse<String> asked = http.send(HttpRequest.newBuilder(URI.create(base + ask))
          .POST(HttpRequest.BodyPublishers.ofString("why is the sky blue")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(status, asked.statusCode(), asked.body());
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("ok", health.body());
      HttpResponse<String> continued = http.send(HttpRequest.newBuilder(URI.create(base + ask))
          .header("traceparent", TRACEPARENT).POST(HttpRequest.BodyPublishers.ofString("and at sunset?")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(status, continued.statusCode(), continued.body());
      running.closeInput();
      JavaProcess.Result result = running.await(120);
      assertEquals(0, result.exitCode(), result.stderr());
      Path traces = TraceFiles.tracesDir(dir);
      return Files.isDirectory(traces) ? TraceFiles.readTraces(traces) : List.of();
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
  void eachRequestThatCalledTheModelIsOneTraceAndTheHealthCheckLeavesNone() throws Exception {
    assertOneTracePerAsk(serve(null), "/ask", 200);
  }

  @Test
  void anAsyncRequestIsOneTraceWithTheCallsOfItsPoolThreadAndTheStatusItCompletedWith() throws Exception {
    assertOneTracePerAsk(serve(null, "/ask/async", 202), "/ask/async", 202);
  }

  private static void assertOneTracePerAsk(List<Map<String, Object>> traces, String path, int status) {
    assertEquals(2, traces.size(), traces.toString());
    for (Map<String, Object> root : traces) {
      assertEquals("POST " + path, root.get("name"));
      assertEquals("CHAIN", root.get("kind"));
      assertNull(root.get("parent_id"));
      Map<String, Object> attributes = object(root.get("attributes"));
      assertEquals("POST", attributes.get("http.request.method"));
      assertEquals(path, attributes.get("url.path"));
      assertEquals(status, ((Number) attributes.get("http.response.status_code")).intValue());
      List<Object> calls = list(root.get("children"));
      assertEquals(2, calls.size());
      for (Object call : calls) {
        assertEquals("openai.chat.completions.create", object(call).get("name"));
        assertEquals(root.get("span_id"), object(call).get("parent_id"));
      }
    }
    assertTrue(!TRACE_ID.equals(traces.get(0).get("trace_id")));
    assertEquals(TRACE_ID, traces.get(1).get("trace_id"));
    assertEquals(List.of(TRACEPARENT),
        object(traces.get(1).get("attributes")).get("http.request.header.traceparent"));
  }

  @Test
  void theSwitchTurnsRequestRootsOffAndTheModelCallsAreTheirOwnTraces() throws Exception {
    List<Map<String, Object>> traces = serve("instrumentation.http-server.enabled=false");

    assertEquals(4, traces.size(), traces.toString());
    for (Map<String, Object> trace : traces) {
      assertEquals("openai.chat.completions.create", trace.get("name"));
    }
  }
}
