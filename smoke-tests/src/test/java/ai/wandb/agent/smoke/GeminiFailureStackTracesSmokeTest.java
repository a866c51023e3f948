package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.SMOKE_APPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.gemini.GeminiTestServer;
import ai.wandb.agent.testing.gemini.GeminiTestServer.Reply;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * google-genai calls failing in every way the API fails (401, 429 RESOURCE_EXHAUSTED, 500, a stream cut
 * short), blocking, async, streamed and in chats, run by an app that prints each exception's stack trace,
 * with and without the agent: the app's output is the same byte for byte once the agent's own
 * {@code [wandb-agent]} lines are left out, so no frame of the agent is in any of them.
 */
class GeminiFailureStackTracesSmokeTest {
  private static final String MAIN = "ai.wandb.smoke.geminifailures.GeminiFailuresApp";

  @TempDir
  Path dir;

  /** Scenario ({@code <fault>/<variant>}, see GeminiFailuresApp) to the reply its call gets, in call order. */
  private static Map<String, Supplier<Reply>> scenarios() {
    Map<String, Supplier<Reply>> scenarios = new LinkedHashMap<>();
    for (String variant : new String[] {"blocking", "async", "stream", "chat", "chat-stream"}) {
      boolean streaming = variant.contains("stream");
      scenarios.put("ok/" + variant, streaming ? () -> Reply.sse("stream-generate-content")
          : () -> Reply.recorded("generate-content"));
      scenarios.put("unauthenticated/" + variant,
          () -> Reply.error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."));
      scenarios.put("quota/" + variant,
          () -> Reply.error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."));
      scenarios.put("server-error/" + variant, () -> Reply.error(500, "INTERNAL", "An internal error has occurred."));
      if (streaming) {
        scenarios.put("dropped-mid-stream/" + variant, () -> Reply.sse("stream-generate-content").cutAfter(1));
      }
    }
    return scenarios;
  }

  private static void enqueue(GeminiTestServer server) {
    scenarios().forEach((scenario, reply) ->
        server.enqueue(scenario.contains("stream") ? "streamGenerateContent" : "generateContent", reply.get()));
  }

  @Test
  void everyFailureReachesTheAppWithTheStackTraceItHasWithoutTheAgent() throws Exception {
    Path app = SMOKE_APPS.resolve("gemini-failures-app/target");
    String classPath = app.resolve("gemini-failures-app.jar") + File.pathSeparator + app.resolve("lib")
        + File.separator + "*";
    String[] args = scenarios().keySet().toArray(new String[0]);
    try (GeminiTestServer server = GeminiTestServer.start()) {
      enqueue(server);
      JavaProcess.Result plain = JavaProcess.java().env("GEMINI_BASE_URL", server.baseUrl()).in(dir)
          .runMain(classPath, MAIN, args);
      enqueue(server);
      JavaProcess.Result traced = JavaProcess.java().env("GEMINI_BASE_URL", server.baseUrl()).withAgent(null).in(dir)
          .runMain(classPath, MAIN, args);

      Path out = Path.of("target", "failure-stack-traces");
      Files.createDirectories(out);
      Files.writeString(out.resolve("google-genai-without-agent.txt"), plain.stdout() + plain.stderr());
      Files.writeString(out.resolve("google-genai-with-agent.txt"), traced.stdout() + traced.stderr());
      assertEquals(0, plain.exitCode(), plain.stderr());
      assertEquals(5, plain.stdout().lines().filter(line -> !line.endsWith("failed")).count(), plain.stdout());
      assertTrue(plain.stderr().contains("\tat "), plain.stderr());
      assertEquals(plain.stdout(), traced.stdout());
      assertEquals(plain.appStderr(), traced.appStderr());
      assertFalse(traced.stderr().contains("ai.wandb.agent"), traced.stderr());
      String exitLine = traced.agentLines().get(traced.agentLines().size() - 1);
      // Each scenario is one trace: a chat's two spans (the chat's, the model call's) are one.
      assertTrue(exitLine.contains("exported " + args.length + " trace(s)"), traced.stderr());
    }
  }
}
