package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app that brings its own (older and newer) OkHttp, Okio, Kotlin, Jackson, Byte Buddy and ASM, loaded flat,
 * as a nested jar behind child-first loaders, next to the OpenTelemetry agent and on Java 25: its output
 * and exit status never change, and its call is traced wherever the agent can see it.
 */
class NeverBreakTheAppSmokeTest {
  private static final Path JAVA_25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");

  private static ClashApp app;
  private static JavaProcess.Result withoutAgent;

  @TempDir
  Path dir;

  @BeforeAll
  static void runWithoutAgent(@TempDir Path plainDir) throws Exception {
    app = new ClashApp();
    withoutAgent = app.flat(app.java().in(plainDir), "libraries");
    assertEquals(0, withoutAgent.exitCode(), withoutAgent.stderr());
  }

  @AfterAll
  static void stopServer() {
    app.close();
  }

  private static void assertUnchanged(JavaProcess.Result expected, JavaProcess.Result run) {
    assertEquals(expected.exitCode(), run.exitCode(), run.stderr());
    assertEquals(expected.stdout(), run.stdout());
    assertEquals(expected.appStderr(), run.appStderr());
  }

  private void assertOneTracedChatCall(JavaProcess.Result run) throws Exception {
    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(1, traces.size(), run.stderr());
    assertEquals("openai.chat.completions.create", traces.get(0).get("name"));
    assertEquals("OK", traces.get(0).get("status"));
  }

  @Test
  void theAppUsesItsOwnLibraryVersionsWhichDifferFromTheAgents() {
    String out = withoutAgent.stdout();
    assertTrue(out.contains("okhttp 5.1.0 got 200 pong"), out);
    assertTrue(out.contains("okio okio round trip from okio-jvm-3.15.0.jar"), out);
    assertTrue(out.contains("kotlin 2.2.0"), out);
    assertTrue(out.contains("jackson 2.18.2 {\"name\":\"clash\",\"numbers\":[1,2,3]}"), out);
    assertTrue(out.contains("bytebuddy byte-buddy-1.14.18.jar: made by the app's Byte Buddy"), out);
    assertTrue(out.contains("asm asm-9.2.jar reads ai/wandb/smoke/clash/ClashApp"), out);
    assertTrue(out.contains("answer: "), out);
  }

  @Test
  void withItsOwnLibrariesOnTheClassPathTheAppIsUnchangedAndTraced() throws Exception {
    JavaProcess.Result run = app.flat(app.java().withAgent(null).in(dir), "libraries");

    assertUnchanged(withoutAgent, run);
    assertOneTracedChatCall(run);
    assertEquals(2, run.agentLines().size(), run.stderr());
  }

  @Test
  void aNestedJarBehindAChildFirstLoaderThatCannotSeeTheAgentRunsUntracedAndUnbroken() throws Exception {
    JavaProcess.Result run = app.nested(app.java().withAgent("debug=true").in(dir), "platform", "libraries");

    assertUnchanged(withoutAgent, run);
    assertFalse(Files.exists(TraceFiles.tracesDir(dir)), "no trace from a loader that cannot see the agent");
    assertTrue(run.agentLines().stream().anyMatch(line -> line.contains("cannot see the agent; it runs untraced")),
        run.stderr());
  }

  @Test
  void aNestedJarBehindAChildFirstLoaderOverTheSystemLoaderIsTraced() throws Exception {
    JavaProcess.Result run = app.nested(app.java().withAgent(null).in(dir), "system", "libraries");

    assertUnchanged(withoutAgent, run);
    assertOneTracedChatCall(run);
  }

  @Test
  void nextToTheOpenTelemetryAgentInEitherOrderTheAppIsUnchangedAndTraced() throws Exception {
    String otel = System.getProperty("otel.javaagent.jar");
    assumeTrue(otel != null && Files.isRegularFile(Paths.get(otel)), "the OpenTelemetry agent jar was not resolved");
    String[] otelArgs = {"-javaagent:" + otel, "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none",
        "-Dotel.logs.exporter=none", "-Dotel.javaagent.logging=none"};
    JavaProcess otelOnly = app.java().in(dir);
    for (String arg : otelArgs) {
      otelOnly.jvmArg(arg);
    }
    JavaProcess.Result expected = app.flat(otelOnly, "libraries");
    assertEquals(withoutAgent.stdout(), expected.stdout());

    for (boolean otelFirst : new boolean[] {true, false}) {
      Path runDir = Files.createDirectories(dir.resolve(otelFirst ? "otel-first" : "wandb-first"));
      JavaProcess both = app.java().in(runDir);
      if (!otelFirst) {
        both.withAgent(null);
      }
      for (String arg : otelArgs) {
        both.jvmArg(arg);
      }
      if (otelFirst) {
        both.withAgent(null);
      }
      JavaProcess.Result run = app.flat(both, "libraries");

      assertUnchanged(expected, run);
      List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(runDir));
      assertEquals(1, traces.size(), "otel first: " + otelFirst + "\n" + run.stderr());
      assertEquals("gpt-4o-mini", object(traces.get(0).get("inputs")).get("model"));
    }
  }

  @Test
  void onJava25TheAppsOutputIsUnchangedAndTheAgentCausesNoJvmWarning() throws Exception {
    assumeTrue(Files.isExecutable(JAVA_25.resolve("bin/java")), "no JDK 25 at " + JAVA_25);
    JavaProcess.Result plain = app.flat(app.java().javaHome(JAVA_25.toString()).in(dir), "libraries");
    JavaProcess.Result run = app.flat(app.java().javaHome(JAVA_25.toString()).withAgent(null).in(dir), "libraries");

    assertUnchanged(plain, run);
    assertEquals(withoutAgent.stdout(), run.stdout());
    assertOneTracedChatCall(run);
  }
}
