package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.AGENT_JAR;
import static ai.wandb.agent.smoke.JavaProcess.SMOKE_APPS;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app's own steps as the roots of its traces: by configuration, by @WithSpan, and after a live attach. */
class UnitOfWorkSmokeTest {
  private static final String CLASS_PATH = SMOKE_APPS.resolve("unit-of-work-app/target/unit-of-work-app.jar")
      + File.pathSeparator + SMOKE_APPS.resolve("unit-of-work-app/target/lib") + File.separator + "*";
  private static final String MAIN = "ai.wandb.smoke.unitofwork.UnitOfWorkApp";
  private static final String METHODS = "ai.wandb.smoke.unitofwork.Assistant[answer,plan,brainstorm]";

  @TempDir
  Path dir;

  private OpenAiTestServer server;

  @BeforeEach
  void startServer() {
    server = OpenAiTestServer.start();
    for (int i = 0; i < 24; i++) {
      server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));
    }
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private JavaProcess app() {
    return java().env("OPENAI_BASE_URL", server.baseUrl()).env("OPENAI_API_KEY", "test").in(dir);
  }

  @Test
  void configuredAndWithSpanMethodsAreTheParentsOfTheModelCallsTheyMake() throws Exception {
    JavaProcess.Running running = app().jvmArg("-Dwandb.trace.methods=" + METHODS).withAgent(null)
        .startMain(CLASS_PATH, MAIN);
    running.send("ask why is the sky blue");
    running.send("research rayleigh scattering");
    running.closeInput();
    JavaProcess.Result result = running.await(120);
    assertEquals(0, result.exitCode(), result.stderr());

    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(2, traces.size(), result.stderr());
    Map<String, Object> answer = traces.get(0);
    assertEquals("Assistant.answer", answer.get("name"));
    assertEquals("CHAIN", answer.get("kind"));
    assertEquals(Map.of("question", "why is the sky blue"), answer.get("inputs"));
    assertTrue(result.stdout().contains((String) answer.get("outputs")), answer.toString());
    List<Object> steps = list(answer.get("children"));
    assertEquals(2, steps.size());
    Map<String, Object> plan = object(steps.get(0));
    assertEquals("Assistant.plan", plan.get("name"));
    assertEquals(answer.get("span_id"), plan.get("parent_id"));
    Map<String, Object> planCall = object(list(plan.get("children")).get(0));
    assertEquals("LLM", planCall.get("kind"));
    assertEquals(plan.get("span_id"), planCall.get("parent_id"));
    Map<String, Object> answerCall = object(steps.get(1));
    assertEquals("openai.chat.completions.create", answerCall.get("name"));
    assertEquals(answer.get("span_id"), answerCall.get("parent_id"));

    Map<String, Object> research = traces.get(1);
    assertEquals("research", research.get("name"));
    assertEquals("CHAIN", research.get("kind"));
    assertEquals("rayleigh scattering", object(research.get("attributes")).get("research.topic"));
    assertEquals(Map.of("topic", "rayleigh scattering", "depth", 2), research.get("inputs"));
    List<Object> calls = list(research.get("children"));
    assertEquals(2, calls.size());
    for (Object call : calls) {
      assertEquals("LLM", object(call).get("kind"));
      assertEquals(research.get("trace_id"), object(call).get("trace_id"));
    }
  }

  @Test
  void modelCallsMadeOnAnExecutorOrTheCommonPoolAreChildrenOfTheMethodThatMadeThem() throws Exception {
    List<String> lines = List.of("brainstorm tides", "survey auroras", "brainstorm comets", "survey eclipses");
    JavaProcess.Result plain = run(app(), lines);
    assertEquals(0, plain.exitCode(), plain.stderr());
    JavaProcess.Result traced = run(app().jvmArg("-Dwandb.trace.methods=" + METHODS).withAgent(null), lines);
    assertEquals(0, traced.exitCode(), traced.stderr());
    assertEquals(plain.stdout(), traced.stdout());

    // A call that lost its parent on the pool thread would be a trace of its own, or land in the next one.
    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(List.of("Assistant.brainstorm", "survey", "Assistant.brainstorm", "survey"),
        traces.stream().map(trace -> trace.get("name")).toList(), traced.stderr());
    assertEquals(4, traces.stream().map(trace -> trace.get("trace_id")).distinct().count());
    assertEquals(Map.of("topic", "tides"), traces.get(0).get("inputs"));
    assertEquals("eclipses", object(traces.get(3).get("attributes")).get("survey.topic"));
    for (Map<String, Object> root : traces) {
      List<Object> calls = list(root.get("children"));
      assertEquals(2, calls.size(), root.toString());
      for (Object child : calls) {
        Map<String, Object> call = object(child);
        assertEquals("LLM", call.get("kind"));
        assertEquals(root.get("trace_id"), call.get("trace_id"));
        assertEquals(root.get("span_id"), call.get("parent_id"));
      }
    }
  }

  private static JavaProcess.Result run(JavaProcess process, List<String> lines) throws Exception {
    JavaProcess.Running running = process.startMain(CLASS_PATH, MAIN);
    for (String line : lines) {
      running.send(line);
    }
    running.closeInput();
    return running.await(120);
  }

  @Test
  void attachingToARunningAppTracesTheCallsMadeAfterItAndRefusesASecondAttach() throws Exception {
    JavaProcess.Running running = app().startMain(CLASS_PATH, MAIN);
    running.awaitLine("ready", 60);
    running.send("ask before the attach");
    running.awaitLine("done 1", 60);
    String pid = String.valueOf(running.process().pid());

    JavaProcess.Result listed = java().runJar(AGENT_JAR, "attach", "--list");
    assertEquals(0, listed.exitCode(), listed.stderr());
    assertTrue(listed.stdout().lines().anyMatch(line -> line.startsWith(pid + " ") && line.contains(MAIN)),
        listed.stdout());

    JavaProcess.Result attached = java().runJar(AGENT_JAR, "attach", pid, "trace.methods=" + METHODS);
    assertEquals(0, attached.exitCode(), attached.stderr());
    assertTrue(attached.stdout().startsWith("wandb-agent: attached to " + pid), attached.stdout());

    JavaProcess.Result again = java().runJar(AGENT_JAR, "attach", pid);
    assertEquals(1, again.exitCode());
    assertEquals(List.of("wandb-agent: process " + pid + " already runs wandb-agent"),
        again.stderr().lines().map(line -> line.replaceAll(" [^ ]+; not attached again$", "")).toList(),
        again.stderr());

    running.send("ask after the attach");
    running.awaitLine("done 2", 60);
    running.closeInput();
    JavaProcess.Result result = running.await(120);
    assertEquals(0, result.exitCode(), result.stderr());

    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(1, traces.size(), result.stderr());
    Map<String, Object> answer = traces.get(0);
    assertEquals("Assistant.answer", answer.get("name"));
    assertEquals(Map.of("question", "after the attach"), answer.get("inputs"));
    assertEquals(2, list(answer.get("children")).size());
  }

  @Test
  void aJvmThatForbidsAttachGetsAClearMessage() throws Exception {
    JavaProcess.Running running = app().jvmArg("-XX:+DisableAttachMechanism").startMain(CLASS_PATH, MAIN);
    running.awaitLine("ready", 60);
    try {
      JavaProcess.Result refused =
          java().runJar(AGENT_JAR, "attach", String.valueOf(running.process().pid()));
      assertEquals(1, refused.exitCode());
      assertEquals(1, refused.stderr().lines().count(), refused.stderr());
      assertTrue(refused.stderr().startsWith("wandb-agent: cannot attach to " + running.process().pid() + ": "),
          refused.stderr());
      assertTrue(refused.stderr().contains("-XX:+DisableAttachMechanism"), refused.stderr());
    } finally {
      running.closeInput();
      running.await(60);
    }
  }
}
