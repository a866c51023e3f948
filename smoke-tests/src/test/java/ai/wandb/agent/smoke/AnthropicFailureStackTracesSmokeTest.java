package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.SMOKE_APPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.anthropic.AnthropicTestServer;
import ai.wandb.agent.testing.anthropic.AnthropicTestServer.Reply;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way an anthropic-java Messages call fails (Anthropic's 401 and 500 error bodies, a timeout, a
 * connection dropped before the answer, mid-body and mid-stream), blocking, raw, async, streamed and
 * async-streamed, plus the app's own stream consumer and async handler failing, run by an app that prints
 * each exception's stack trace, with and without the agent, on the lowest and the newest anthropic-java: the
 * app's output is the same byte for byte once the agent's own {@code [wandb-agent]} lines are left out. No
 * frame of the agent, no proxy, no reflection, the same causes and the same {@code ... N more}; successes
 * print the classes of the objects the app gets (message, raw response, stream response, its
 * {@code Stream}, future), which are the SDK's own.
 */
class AnthropicFailureStackTracesSmokeTest {
  private static final String MAIN = "ai.wandb.smoke.anthropicfailures.AnthropicFailuresApp";

  @TempDir
  Path dir;

  /** Scenario path ({@code <fault>/<variant>}, see AnthropicFailuresApp) to the reply its server path answers with. */
  private static Map<String, Supplier<Reply>> scenarios() {
    Map<String, Supplier<Reply>> scenarios = new LinkedHashMap<>();
    for (String variant : new String[] {"blocking", "raw", "async", "stream", "async-stream"}) {
      boolean streaming = variant.contains("stream");
      Supplier<Reply> ok = streaming ? () -> Reply.sse("message-stream") : () -> Reply.recorded("message");
      scenarios.put("ok/" + variant, ok);
      scenarios.put("client-error/" + variant,
          () -> Reply.error(401, "authentication_error", "invalid x-api-key"));
      scenarios.put("server-error/" + variant, () -> Reply.error(500, "api_error", "Internal server error"));
      scenarios.put("overloaded/" + variant, () -> Reply.error(529, "overloaded_error", "Overloaded"));
      scenarios.put("timeout/" + variant, () -> ok.get().delayedBy(4000));
      scenarios.put("dropped-before-answer/" + variant, () -> ok.get().droppedBeforeAnswer());
      if (streaming) {
        scenarios.put("dropped-mid-stream/" + variant, () -> Reply.sse("message-stream").cutAfter(4));
        // Anthropic's own way of failing mid-stream: an error event after the stream began.
        scenarios.put("overloaded-mid-stream/" + variant, () -> Reply.sse("message-stream-overloaded"));
      } else {
        scenarios.put("dropped-mid-body/" + variant, () -> ok.get().droppedMidBody());
      }
    }
    scenarios.put("dropped-mid-stream/stream-iterator", () -> Reply.sse("message-stream").cutAfter(4));
    // The app's own code fails inside the stream: its stack runs through the SDK's stream, unchanged.
    scenarios.put("ok/stream-consumer-fails", () -> Reply.sse("message-stream"));
    scenarios.put("ok/async-stream-handler-fails", () -> Reply.sse("message-stream"));
    return scenarios;
  }

  @ParameterizedTest
  @ValueSource(strings = {"anthropic-2.0.0", "anthropic-3.14.0"})
  void everyFailureReachesTheAppWithTheStackTraceItHasWithoutTheAgent(String sdk) throws Exception {
    Path app = SMOKE_APPS.resolve("anthropic-failures-app/target");
    String classPath = app.resolve("anthropic-failures-app.jar") + File.pathSeparator + app.resolve("lib")
        + File.separator + "*" + File.pathSeparator + app.resolve(sdk) + File.separator + "*";
    String[] args = scenarios().keySet().toArray(new String[0]);
    try (AnthropicTestServer server = AnthropicTestServer.start()) {
      enqueue(server);
      JavaProcess.Result plain = JavaProcess.java().env("ANTHROPIC_BASE_URL", server.baseUrl()).in(dir)
          .runMain(classPath, MAIN, args);
      enqueue(server);
      JavaProcess.Result traced = JavaProcess.java().env("ANTHROPIC_BASE_URL", server.baseUrl()).withAgent(null)
          .in(dir).runMain(classPath, MAIN, args);

      Path out = Path.of("target", "failure-stack-traces");
      Files.createDirectories(out);
      Files.writeString(out.resolve(sdk + "-without-agent.txt"), plain.stdout() + plain.stderr());
      Files.writeString(out.resolve(sdk + "-with-agent.txt"), traced.stdout() + traced.stderr());
      assertEquals(0, plain.exitCode(), plain.stderr());
      assertTrue(plain.stderr().contains("\tat "), plain.stderr());
      assertTrue(plain.stdout().contains("com.anthropic."), plain.stdout());
      assertEquals(plain.stdout(), traced.stdout());
      assertEquals(plain.appStderr(), traced.appStderr());
      assertFalse(traced.stderr().contains("ai.wandb.agent"), traced.stderr());
      String exitLine = traced.agentLines().get(traced.agentLines().size() - 1);
      assertTrue(exitLine.contains("exported " + args.length + " trace(s)"), traced.stderr());
    }
  }

  /** Two of each reply per path: a client that retries a dropped connection meets the same fault again. */
  private static void enqueue(AnthropicTestServer server) {
    for (Map.Entry<String, Supplier<Reply>> scenario : scenarios().entrySet()) {
      for (int i = 0; i < 2; i++) {
        // Async replies wait a little, so the SDK's and the app's callbacks are always chained before
        // the answer arrives and run on the HTTP client's thread in both runs.
        Reply reply = scenario.getValue().get();
        server.enqueue("/" + scenario.getKey() + "/v1/messages",
            scenario.getKey().contains("async") && !scenario.getKey().startsWith("timeout") ? reply.delayedBy(200) : reply);
      }
    }
  }
}
