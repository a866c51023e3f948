package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.SMOKE_APPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spring AI calls failing in every way a call fails (401, 500, a timeout, the connection dropped
 * before the answer, mid-body, mid-stream), through {@code ChatModel.call}/{@code stream} and ChatClient's
 * {@code call()}/{@code stream()} with an advisor of the app's, with a tool call before the fault, and with
 * the app's own subscriber failing, run by an app that prints each exception's stack trace, a stack trace
 * taken inside its subscriber's {@code onNext}, and the class and {@code toString()} of the Flux it gets,
 * with and without the agent, on the lowest 1.x, the newest 1.x and the newest Spring AI: the same byte for
 * byte once the agent's own {@code [wandb-agent]} lines are left out, and the Flux the app gets is the
 * library's own. That includes the stacks taken under the app's {@code onNext}: each observed layer's
 * subscriber is a hidden class, whose frames the JVM leaves out (a Reactor peek operator's
 * {@code FluxPeek*} frames were there before, one per layer).
 */
class SpringAiFailureStackTracesSmokeTest {
  private static final String MAIN = "ai.wandb.smoke.springaifailures.SpringAiFailuresApp";

  @TempDir
  Path dir;

  /**
   * Scenario ({@code <fault>/<variant>}, see SpringAiFailuresApp) to the replies its path answers with, in
   * order: a tool variant's first answer asks for the tool, the fault comes after; a fault's reply twice,
   * for a client that retries a dropped connection.
   */
  private static Map<String, List<Supplier<Reply>>> scenarios(String version) {
    Map<String, List<Supplier<Reply>>> scenarios = new LinkedHashMap<>();
    for (String variant : new String[] {"model-call", "client-call", "client-call-tool", "model-stream",
        "model-stream-block", "client-stream", "client-stream-tool"}) {
      boolean streaming = variant.contains("stream");
      Supplier<Reply> ok = streaming ? () -> Reply.sse("chat-completion-stream") : () -> Reply.recorded("chat-completion");
      Map<String, Supplier<Reply>> faults = new LinkedHashMap<>();
      faults.put("ok", ok);
      faults.put("client-error", () -> Reply.json(401, OpenAiTestServer.recorded("error-401")));
      faults.put("server-error", () -> Reply.json(500, OpenAiTestServer.recorded("error-500")));
      // On 2.x its only timeout option gives OkHttp's call and read timers one deadline, and which fires
      // first (the cause the app sees) varies from run to run, with or without the agent: there the app
      // builds openai-java's clients itself, with a read timeout well above the call's (see Models).
      faults.put("timeout", () -> ok.get().delayedBy(4000));
      faults.put("dropped-before-answer", () -> ok.get().droppedBeforeAnswer());
      if (streaming) {
        faults.put("dropped-mid-stream", () -> Reply.sse("chat-completion-stream").cutAfter(3));
      } else {
        faults.put("dropped-mid-body", () -> ok.get().droppedMidBody());
      }
      for (Map.Entry<String, Supplier<Reply>> fault : faults.entrySet()) {
        List<Supplier<Reply>> replies = new ArrayList<>();
        if (variant.endsWith("-tool")) {
          replies.add(streaming ? () -> Reply.sse("chat-completion-stream-tool-call")
              : () -> Reply.recorded("chat-completion-tool-call"));
        }
        replies.add(fault.getValue());
        replies.add(fault.getValue());
        scenarios.put(fault.getKey() + "/" + variant, replies);
      }
    }
    // The app's own code fails inside the stream: the error its onError gets went through Spring AI's chain.
    for (String variant : new String[] {"model-stream-subscriber-fails", "client-stream-subscriber-fails"}) {
      scenarios.put("ok/" + variant, List.of(() -> Reply.sse("chat-completion-stream")));
    }
    return scenarios;
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0.0", "1.1.3", "2.0.1"})
  void everyFailureReachesTheAppWithTheStackTraceItHasWithoutTheAgent(String version) throws Exception {
    Path app = SMOKE_APPS.resolve("spring-ai-failures-app/target");
    String classPath = app.resolve("spring-ai-failures-app.jar") + File.pathSeparator + (version.startsWith("1.")
        ? app.resolve("spring-ai-" + version) + File.separator + "*" + File.pathSeparator + app.resolve("lib")
        : SMOKE_APPS.resolve("spring-ai-failures-app-2/target/lib")) + File.separator + "*";
    String[] args = scenarios(version).keySet().toArray(new String[0]);
    JavaProcess.Result plain = run(classPath, args, version, false);
    JavaProcess.Result traced = run(classPath, args, version, true);

    Path out = Path.of("target", "failure-stack-traces");
    Files.createDirectories(out);
    Files.writeString(out.resolve("spring-ai-" + version + "-without-agent.txt"), plain.stdout() + plain.stderr());
    Files.writeString(out.resolve("spring-ai-" + version + "-with-agent.txt"), traced.stdout() + traced.stderr());
    assertEquals(0, plain.exitCode(), plain.stderr());
    assertTrue(plain.stderr().contains("\tat "), plain.stderr());
    assertTrue(plain.stderr().contains("inside onNext"), plain.stderr());
    assertFalse(traced.stderr().contains("ai.wandb.agent"), traced.stderr());
    String[] mismatch = mismatch(plain, traced);
    if (mismatch != null) {
      assertEquals(mismatch[1], mismatch[2], mismatch[0]);
    }
    String exitLine = traced.agentLines().get(traced.agentLines().size() - 1);
    assertTrue(exitLine.contains("exported " + args.length + " trace(s)"), traced.stderr());
  }

  /** The first scenario whose output differs ({scenario, without, with}), null when none does. */
  private static String[] mismatch(JavaProcess.Result plain, JavaProcess.Result traced) {
    Map<String, String> without = byScenario(plain.stdout(), plain.appStderr());
    Map<String, String> with = byScenario(traced.stdout(), traced.appStderr());
    if (!without.keySet().equals(with.keySet())) {
      return new String[] {"scenarios", without.keySet().toString(), with.keySet().toString()};
    }
    for (String scenario : without.keySet()) {
      String expected = without.get(scenario);
      String actual = with.get(scenario);
      if (!expected.equals(actual)) {
        return new String[] {scenario, expected, actual};
      }
    }
    return null;
  }

  /** Each scenario's stdout and stderr (from its {@code == <scenario>} line on each). */
  private static Map<String, String> byScenario(String stdout, String stderr) {
    Map<String, String> blocks = new LinkedHashMap<>();
    for (String stream : new String[] {stdout, stderr}) {
      String scenario = "";
      for (String line : stream.split("\n", -1)) {
        if (line.startsWith("== ")) {
          scenario = line.substring(3);
        }
        blocks.merge(scenario, line + "\n", String::concat);
      }
    }
    return blocks;
  }

  /**
   * Each run has a server of its own, so that no reply one run left unread reaches the other; the
   * messages that name the server's URL name it with {@code <port>} for its port.
   */
  private JavaProcess.Result run(String classPath, String[] args, String version, boolean withAgent)
      throws Exception {
    try (OpenAiTestServer server = OpenAiTestServer.start()) {
      for (Map.Entry<String, List<Supplier<Reply>>> scenario : scenarios(version).entrySet()) {
        for (Supplier<Reply> reply : scenario.getValue()) {
          // Streams are async (2.x: openai-java's async client): their replies wait a little, so that
          // Spring AI's callbacks are always chained before the answer arrives and run on the HTTP
          // client's thread in both runs.
          boolean async = scenario.getKey().contains("stream") && !scenario.getKey().startsWith("timeout");
          server.enqueue("/" + scenario.getKey() + "/v1/chat/completions", async ? reply.get().delayedBy(200) : reply.get());
        }
      }
      String base = server.baseUrl().substring(0, server.baseUrl().length() - "/v1".length());
      JavaProcess process = JavaProcess.java().env("OPENAI_BASE_URL", base).in(dir);
      JavaProcess.Result result = (withAgent ? process.withAgent(null) : process).runMain(classPath, MAIN, args);
      String port = ":" + URI.create(base).getPort();
      return new JavaProcess.Result(result.exitCode(), result.stdout().replace(port, ":<port>"),
          result.stderr().replace(port, ":<port>"));
    }
  }
}
