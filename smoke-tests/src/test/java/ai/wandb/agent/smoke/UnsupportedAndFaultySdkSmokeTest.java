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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An SDK outside the supported range, and one whose objects make the agent's reading of them fail. */
class UnsupportedAndFaultySdkSmokeTest {
  private static final String OLD_OPENAI_CLASS_PATH = SMOKE_APPS.resolve("openai-0x-app/target/openai-0x-app.jar")
      + File.pathSeparator + SMOKE_APPS.resolve("openai-0x-app/target/lib") + File.separator + "*";

  @TempDir
  Path dir;

  private static void assertUnchanged(JavaProcess.Result expected, JavaProcess.Result run) {
    assertEquals(expected.exitCode(), run.exitCode(), run.stderr());
    assertEquals(expected.stdout(), run.stdout());
    assertEquals(expected.appStderr(), run.appStderr());
  }

  @Test
  void openAiJavaBelowTheSupportedRangeRunsUntracedAndUnbrokenSaidOnlyInDebug() throws Exception {
    try (OpenAiTestServer server = OpenAiTestServer.start()) {
      server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"))
          .enqueue("/v1/chat/completions", Reply.recorded("chat-completion"))
          .enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));
      JavaProcess.Result plain = JavaProcess.java().env("OPENAI_BASE_URL", server.baseUrl())
          .env("OPENAI_API_KEY", "test").in(dir).runMain(OLD_OPENAI_CLASS_PATH, "ai.wandb.smoke.oldopenai.OldOpenAiApp");
      assertEquals(0, plain.exitCode(), plain.stderr());
      assertTrue(plain.stdout().startsWith("answer: "), plain.stdout());

      JavaProcess.Result run = JavaProcess.java().env("OPENAI_BASE_URL", server.baseUrl())
          .env("OPENAI_API_KEY", "test").withAgent(null).in(dir)
          .runMain(OLD_OPENAI_CLASS_PATH, "ai.wandb.smoke.oldopenai.OldOpenAiApp");
      assertUnchanged(plain, run);
      assertEquals(2, run.agentLines().size(), run.stderr());
      assertFalse(Files.exists(TraceFiles.tracesDir(dir)));

      JavaProcess.Result debug = JavaProcess.java().env("OPENAI_BASE_URL", server.baseUrl())
          .env("OPENAI_API_KEY", "test").withAgent("debug=true").in(dir)
          .runMain(OLD_OPENAI_CLASS_PATH, "ai.wandb.smoke.oldopenai.OldOpenAiApp");
      assertUnchanged(plain, debug);
      assertTrue(debug.agentLines().stream().anyMatch(line -> line.contains(
          "but not com/openai/services/blocking/EvalService.class: this version is outside what the openai"
              + " instrumentation supports; it runs untraced")), debug.stderr());
      assertFalse(Files.exists(TraceFiles.tracesDir(dir)));
    }
  }

  @Test
  void whenTheAgentCannotReadTheSdksObjectsTheAppIsUnaffectedTheTraceKeepsItsShapeAndOnlyDebugSaysWhy()
      throws Exception {
    Path fakeSdk = SMOKE_APPS.resolve("fake-openai-app/target/fake-openai-app.jar");
    String main = "ai.wandb.smoke.fakeopenai.FakeOpenAiApp";
    JavaProcess.Result plain = JavaProcess.java().in(dir).runMain(fakeSdk.toString(), main);
    assertEquals("answer to one (client true)\nanswer to two (client true)\nfailed: hostile three\n", plain.stdout());

    JavaProcess.Result run = JavaProcess.java().withAgent(null).in(dir).runMain(fakeSdk.toString(), main);
    assertUnchanged(plain, run);
    assertEquals(2, run.agentLines().size(), run.stderr());
    assertTrue(run.agentLines().get(1).contains("exported 3 trace(s)"), run.stderr());
    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(3, traces.size());
    for (Map<String, Object> trace : traces.subList(0, 2)) {
      assertEquals("OK", trace.get("status"));
      assertEquals(null, trace.get("inputs"));
      assertTrue(String.valueOf(TraceFiles.object(trace.get("attributes")).get("wandb.render_error"))
          .startsWith("response: java.lang.reflect.InvocationTargetException"), trace.toString());
    }
    Map<String, Object> failed = traces.get(2);
    assertEquals("ERROR", failed.get("status"));
    Map<String, Object> error = TraceFiles.object(failed.get("error"));
    assertEquals("com.openai.services.blocking.chat.ChatCompletionServiceImpl$HostileException", error.get("type"));
    assertEquals("<the exception's getMessage() threw java.lang.IllegalStateException>", error.get("message"));
    assertEquals("<the exception's printStackTrace() threw java.lang.IllegalStateException>", error.get("stack"));

    JavaProcess.Result debug = JavaProcess.java().withAgent("debug=true")
        .in(Files.createDirectories(dir.resolve("debug"))).runMain(fakeSdk.toString(), main);
    assertUnchanged(plain, debug);
    assertTrue(debug.agentLines().stream().anyMatch(line -> line.contains("debug: could not read the request of")),
        debug.stderr());
    assertTrue(debug.agentLines().stream().anyMatch(line -> line.contains("debug: could not read the response of")),
        debug.stderr());
  }
}
