package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.SMOKE_APPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a call can fail, run by an app that prints each exception's stack trace, with and without
 * the agent, on the lowest and the newest openai-java (and LangChain4j streaming handlers): the app's output is the same byte for byte once
 * the agent's own {@code [wandb-agent]} lines are left out. No frame of the agent, no proxy, no
 * reflection, the same causes and the same {@code ... N more}, also for an exception the app's own stream
 * consumer or async handler throws; successes print the classes of the objects the app gets (raw
 * response, stream response, its {@code Stream}, future), which are the SDK's own.
 */
class FailureStackTracesSmokeTest {
  private static final String MAIN = "ai.wandb.smoke.failures.FailuresApp";

  @TempDir
  Path dir;

  /** Scenario path ({@code <fault>/<variant>}, see FailuresApp) to the reply its server path answers with. */
  private static Map<String, Supplier<Reply>> scenarios() {
    Map<String, Supplier<Reply>> scenarios = new LinkedHashMap<>();
    for (String variant : new String[] {"blocking", "raw", "async", "stream", "async-stream"}) {
      boolean streaming = variant.contains("stream");
      Supplier<Reply> ok = streaming ? () -> Reply.sse("chat-completion-stream") : () -> Reply.recorded("chat-completion");
      scenarios.put("ok/" + variant, ok);
      scenarios.put("client-error/" + variant, () -> Reply.json(401, OpenAiTestServer.recorded("error-401")));
      scenarios.put("server-error/" + variant, () -> Reply.json(500, OpenAiTestServer.recorded("error-500")));
      scenarios.put("timeout/" + variant, () -> ok.get().delayedBy(4000));
      scenarios.put("dropped-before-answer/" + variant, () -> ok.get().droppedBeforeAnswer());
      if (streaming) {
        scenarios.put("dropped-mid-stream/" + variant, () -> Reply.sse("chat-completion-stream").cutAfter(3));
      } else {
        scenarios.put("dropped-mid-body/" + variant, () -> ok.get().droppedMidBody());
      }
    }
    scenarios.put("dropped-mid-stream/stream-iterator", () -> Reply.sse("chat-completion-stream").cutAfter(3));
    // The app's own code fails inside the stream: its stack runs through the SDK's stream, unchanged.
    scenarios.put("ok/stream-consumer-fails", () -> Reply.sse("chat-completion-stream"));
    scenarios.put("ok/async-stream-handler-fails", () -> Reply.sse("chat-completion-stream"));
    return scenarios;
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai-1.1.0", "openai-4.101.0"})
  void everyFailureReachesTheAppWithTheStackTraceItHasWithoutTheAgent(String sdk) throws Exception {
    Path app = SMOKE_APPS.resolve("openai-failures-app/target");
    String classPath = app.resolve("openai-failures-app.jar") + File.pathSeparator + app.resolve("lib") + File.separator
        + "*" + File.pathSeparator + app.resolve(sdk) + File.separator + "*";
    String[] args = scenarios().keySet().toArray(new String[0]);
    try (OpenAiTestServer server = OpenAiTestServer.start()) {
      String base = server.baseUrl().substring(0, server.baseUrl().length() - "/v1".length());

      enqueue(server);
      JavaProcess.Result plain = JavaProcess.java().env("OPENAI_BASE_URL", base).in(dir).runMain(classPath, MAIN, args);
      enqueue(server);
      JavaProcess.Result traced = JavaProcess.java().env("OPENAI_BASE_URL", base).withAgent(null).in(dir)
          .runMain(classPath, MAIN, args);

      assertEquals(0, plain.exitCode(), plain.stderr());
      assertTrue(plain.stderr().contains("\tat "), plain.stderr());
      assertEquals(plain.stdout(), traced.stdout());
      Path out = Path.of("target", "failure-stack-traces");
      Files.createDirectories(out);
      Files.writeString(out.resolve(sdk + "-without-agent.txt"), plain.stdout() + plain.stderr());
      Files.writeString(out.resolve(sdk + "-with-agent.txt"), traced.stdout() + traced.stderr());
      assertEquals(plain.appStderr(), traced.appStderr());
      assertFalse(traced.stderr().contains("ai.wandb.agent"), traced.stderr());
      String exitLine = traced.agentLines().get(traced.agentLines().size() - 1);
      assertTrue(exitLine.contains("exported " + args.length + " trace(s)"), traced.stderr());
    }
  }

  /**
   * On 1.0.0 and 1.19.0. The JDK HTTP client reports a connection dropped before the answer from
   * whichever of its own threads sees it first: about one pair in four (on both versions) differed in
   * those JDK frames only, never by an agent frame. So a pair whose outputs differ is run again, up to
   * three pairs, and one pair must match byte for byte; every traced run must be free of agent frames.
   */
  @ParameterizedTest
  @ValueSource(strings = {"langchain4j-1.0.0", "langchain4j-1.19.0"})
  void aLangChain4jStreamingHandlerSeesTheSameStacksWithAndWithoutTheAgent(String version) throws Exception {
    Path app = SMOKE_APPS.resolve("langchain4j-failures-app/target");
    String classPath = app.resolve("langchain4j-failures-app.jar") + File.pathSeparator + app.resolve("lib")
        + File.separator + "*" + File.pathSeparator + app.resolve(version) + File.separator + "*";
    Map<String, Supplier<Reply>> scenarios = new LinkedHashMap<>();
    scenarios.put("ok", () -> Reply.sse("langchain4j-chat-completion-stream"));
    scenarios.put("server-error", () -> Reply.json(500, OpenAiTestServer.recorded("error-500")));
    scenarios.put("dropped-before-answer", () -> Reply.sse("langchain4j-chat-completion-stream").droppedBeforeAnswer());
    scenarios.put("dropped-mid-stream", () -> Reply.sse("langchain4j-chat-completion-stream").cutAfter(3));
    String[] args = scenarios.keySet().toArray(new String[0]);
    try (OpenAiTestServer server = OpenAiTestServer.start()) {
      String base = server.baseUrl().substring(0, server.baseUrl().length() - "/v1".length());
      JavaProcess.Result[] runs = new JavaProcess.Result[2];
      for (int pair = 0; pair < 3; pair++) {
        for (int run = 0; run < 2; run++) {
          for (Map.Entry<String, Supplier<Reply>> scenario : scenarios.entrySet()) {
            for (int i = 0; i < 2; i++) {
              server.enqueue("/" + scenario.getKey() + "/v1/chat/completions", scenario.getValue().get());
            }
          }
          JavaProcess process = JavaProcess.java().env("OPENAI_BASE_URL", base).in(dir);
          runs[run] = (run == 0 ? process : process.withAgent(null)).runMain(classPath,
              "ai.wandb.smoke.lc4jfailures.LangChain4jFailuresApp", args);
        }
        assertFalse(runs[1].stderr().contains("ai.wandb.agent"), runs[1].stderr());
        if (runs[0].stdout().equals(runs[1].stdout()) && runs[0].appStderr().equals(runs[1].appStderr())) {
          break;
        }
      }
      Path out = Path.of("target", "failure-stack-traces");
      Files.createDirectories(out);
      Files.writeString(out.resolve(version + "-without-agent.txt"), runs[0].stdout() + runs[0].stderr());
      Files.writeString(out.resolve(version + "-with-agent.txt"), runs[1].stdout() + runs[1].stderr());
      assertEquals(0, runs[0].exitCode(), runs[0].stderr());
      assertTrue(runs[0].stderr().contains("inside onPartialResponse"), runs[0].stderr());
      assertEquals(runs[0].stdout(), runs[1].stdout());
      assertEquals(runs[0].appStderr(), runs[1].appStderr());
      assertFalse(runs[1].stderr().contains("ai.wandb.agent"), runs[1].stderr());
      assertTrue(runs[1].agentLines().get(runs[1].agentLines().size() - 1)
          .contains("exported " + args.length + " trace(s)"), runs[1].stderr());
    }
  }

  /**
   * The real jar attached ({@code attach <pid>}) to the LangChain4j app while it runs, after its first call:
   * the handler class, LangChain4j's observer and the provider were loaded and used before, and are
   * retransformed. The app prints what it prints without the agent, and each call after the attach is
   * one span with its outcome.
   */
  @Test
  void aLangChain4jAppTheAgentIsAttachedToWhileItRunsSeesTheSameStacks() throws Exception {
    Path app = SMOKE_APPS.resolve("langchain4j-failures-app/target");
    String classPath = app.resolve("langchain4j-failures-app.jar") + File.pathSeparator + app.resolve("lib")
        + File.separator + "*" + File.pathSeparator + app.resolve("langchain4j-1.19.0") + File.separator + "*";
    List<String> after = List.of("ok", "server-error", "dropped-mid-stream");
    try (OpenAiTestServer server = OpenAiTestServer.start()) {
      String base = server.baseUrl().substring(0, server.baseUrl().length() - "/v1".length());
      JavaProcess.Result[] runs = new JavaProcess.Result[2];
      for (int run = 0; run < 2; run++) {
        for (int i = 0; i < 4; i++) {
          server.enqueue("/ok/v1/chat/completions", Reply.sse("langchain4j-chat-completion-stream"));
        }
        for (int i = 0; i < 2; i++) {
          server.enqueue("/server-error/v1/chat/completions", Reply.json(500, OpenAiTestServer.recorded("error-500")));
          server.enqueue("/dropped-mid-stream/v1/chat/completions",
              Reply.sse("langchain4j-chat-completion-stream").cutAfter(3));
        }
        JavaProcess.Running running = JavaProcess.java().env("OPENAI_BASE_URL", base).in(dir)
            .startMain(classPath, "ai.wandb.smoke.lc4jfailures.LangChain4jFailuresApp", "-");
        running.send("ok");
        running.awaitLine("done ok", 60);
        if (run == 1) {
          JavaProcess.Result attached =
              JavaProcess.java().runJar(JavaProcess.AGENT_JAR, "attach", String.valueOf(running.process().pid()));
          assertEquals(0, attached.exitCode(), attached.stderr());
        }
        for (String scenario : after) {
          running.send(scenario);
        }
        running.closeInput();
        runs[run] = running.await(120);
      }
      Path out = Path.of("target", "failure-stack-traces");
      Files.createDirectories(out);
      Files.writeString(out.resolve("langchain4j-attached-without-agent.txt"), runs[0].stdout() + runs[0].stderr());
      Files.writeString(out.resolve("langchain4j-attached-with-agent.txt"), runs[1].stdout() + runs[1].stderr());
      assertEquals(0, runs[1].exitCode(), runs[1].stderr());
      assertTrue(runs[0].stderr().contains("inside onPartialResponse"), runs[0].stderr());
      assertEquals(runs[0].stdout(), runs[1].stdout());
      assertEquals(runs[0].appStderr(), runs[1].appStderr());
      assertFalse(runs[1].stderr().contains("ai.wandb.agent"), runs[1].stderr());
    }
    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(List.of("OK", "ERROR", "ERROR"), traces.stream().map(trace -> trace.get("status")).toList(),
        traces.toString());
    assertEquals(List.of("langchain4j.chat", "langchain4j.chat", "langchain4j.chat"),
        traces.stream().map(trace -> trace.get("name")).toList());
  }

  /** Two of each reply per path: a client that retries a dropped connection meets the same fault again. */
  private static void enqueue(OpenAiTestServer server) {
    for (Map.Entry<String, Supplier<Reply>> scenario : scenarios().entrySet()) {
      for (int i = 0; i < 2; i++) {
        // Async replies wait a little, so the SDK's and the app's callbacks are always chained before
        // the answer arrives and run on the HTTP client's thread in both runs.
        Reply reply = scenario.getValue().get();
        server.enqueue("/" + scenario.getKey() + "/v1/chat/completions",
            scenario.getKey().contains("async") && !scenario.getKey().startsWith("timeout") ? reply.delayedBy(200) : reply);
      }
    }
  }
}
