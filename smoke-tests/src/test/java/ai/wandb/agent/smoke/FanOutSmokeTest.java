package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A LangChain4j tool that fans out openai-java calls to a pool, CompletableFuture's default executor, a
 * parallel stream and (Java 21+) virtual threads, under the real agent jar on Java 17 and 25: every
 * call is a child of the tool's span in the one trace, and the app prints the same on stdout and stderr
 * as without the agent (no JVM warning for weaving the JDK's own classes).
 */
class FanOutSmokeTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final String CLASS_PATH = JavaProcess.SMOKE_APPS.resolve("fan-out-app/target/fan-out-app.jar")
      + File.pathSeparator + JavaProcess.SMOKE_APPS.resolve("fan-out-app/target/lib") + File.separator + "*";

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"", "/usr/lib/jvm/temurin-25-jdk-amd64"})
  void callsOnOtherThreadsAreChildrenOfTheToolThatMadeThem(String javaHome, @TempDir Path plainDir) throws Exception {
    String home = javaHome.isEmpty() ? System.getProperty("java.home") : javaHome;
    assumeTrue(Files.isExecutable(Paths.get(home, "bin", "java")), "no JDK at " + home);
    boolean virtualThreads = !javaHome.isEmpty();
    int fannedOut = virtualThreads ? 5 : 4;

    JavaProcess.Result plain = run(java().javaHome(home).in(plainDir), fannedOut);
    JavaProcess.Result traced = run(java().javaHome(home).withAgent(null).in(dir), fannedOut);

    assertEquals(0, plain.exitCode(), plain.stderr());
    assertEquals(0, traced.exitCode(), traced.stderr());
    assertEquals(plain.stdout(), traced.stdout());
    assertEquals(plain.appStderr(), traced.appStderr(), "the app's stderr is unchanged: " + traced.stderr());
    assertTrue(traced.agentLines().get(0).contains("executors"), traced.agentLines().get(0));

    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(1, traces.size(), "one trace, nothing escaped into a root of its own: " + traces);
    Map<String, Object> root = traces.get(0);
    assertEquals("langchain4j.ai_service.Assistant.chat", root.get("name"));
    Map<String, Object> tool = list(root.get("children")).stream().map(TraceFiles::object)
        .filter(step -> "langchain4j.tool.orderStatus".equals(step.get("name"))).findFirst().orElseThrow();
    List<Map<String, Object>> calls = list(tool.get("children")).stream().map(TraceFiles::object).toList();
    assertEquals(fannedOut, calls.size(), tool.toString());
    for (Map<String, Object> call : calls) {
      assertEquals("openai.chat.completions.create", call.get("name"));
      assertEquals(tool.get("span_id"), call.get("parent_id"));
      assertEquals(root.get("trace_id"), call.get("trace_id"));
    }
  }

  private static JavaProcess.Result run(JavaProcess process, int fannedOut) throws Exception {
    try (OpenAiTestServer server = OpenAiTestServer.start()) {
      server.enqueue(CHAT, Reply.recorded("chat-completion-tool-calls"));
      for (int i = 0; i < fannedOut; i++) {
        server.enqueue(CHAT, Reply.recorded("chat-completion"));
      }
      server.enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
      return process.env("OPENAI_BASE_URL", server.baseUrl()).env("OPENAI_API_KEY", "sk-test")
          .runMain(CLASS_PATH, "ai.wandb.smoke.fanout.FanOutApp");
    }
  }
}
