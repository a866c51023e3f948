package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.GITHUB_URL_ASSISTANT;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example app, run as a user runs it, with and without the agent, on the local default sink. */
class GithubUrlAssistantSmokeTest {
  private static final String[] QUESTIONS = {
    "find java libraries for parsing yaml", "rust web frameworks with websockets", "fail-demo please"
  };

  private static JavaProcess.Result withoutAgent;

  @TempDir
  Path dir;

  @BeforeAll
  static void runWithoutAgent(@TempDir Path plainDir) throws Exception {
    withoutAgent = java().in(plainDir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS);
    assertEquals(1, withoutAgent.exitCode(), withoutAgent.stderr());
  }

  @Test
  void theAgentLeavesOneTracePerQuestionWithModelMessagesAnswerAndTokens() throws Exception {
    JavaProcess.Result run = java().withAgent(null).in(dir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS);

    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(3, traces.size(), run.stderr());
    for (int i = 0; i < QUESTIONS.length; i++) {
      Map<String, Object> span = traces.get(i);
      assertEquals("openai.chat.completions.create", span.get("name"));
      assertEquals("LLM", span.get("kind"));
      assertNull(span.get("parent_id"));
      assertEquals(32, ((String) span.get("trace_id")).length());
      assertTrue(((Number) span.get("end_time_unix_nano")).longValue()
          >= ((Number) span.get("start_time_unix_nano")).longValue());
      assertTrue(list(span.get("children")).isEmpty());

      Map<String, Object> inputs = object(span.get("inputs"));
      assertEquals("gpt-4o-mini", inputs.get("model"));
      List<Object> messages = list(inputs.get("messages"));
      assertEquals("system", object(messages.get(0)).get("role"));
      assertEquals(QUESTIONS[i], object(messages.get(1)).get("content"));
      Map<String, Object> attributes = object(span.get("attributes"));
      assertEquals("gpt-4o-mini", attributes.get("gen_ai.request.model"));
      assertEquals(0.2, ((Number) attributes.get("gen_ai.request.temperature")).doubleValue());
      assertEquals(42, ((Number) attributes.get("gen_ai.request.seed")).intValue());
      assertEquals("local", attributes.get("gen_ai.provider.name"));
    }

    for (int i = 0; i < 2; i++) {
      Map<String, Object> span = traces.get(i);
      assertEquals("OK", span.get("status"));
      assertNull(span.get("error"));
      String answer = (String) object(object(list(object(span.get("outputs")).get("choices")).get(0))
          .get("message")).get("content");
      assertTrue(run.stdout().contains(answer), "the traced answer is what the app printed: " + answer);
      Map<String, Object> usage = object(span.get("usage"));
      long input = ((Number) usage.get("input_tokens")).longValue();
      long output = ((Number) usage.get("output_tokens")).longValue();
      assertTrue(input > 0 && output > 0);
      assertEquals(input + output, ((Number) usage.get("total_tokens")).longValue());
    }

    Map<String, Object> failed = traces.get(2);
    assertEquals("ERROR", failed.get("status"));
    Map<String, Object> error = object(failed.get("error"));
    assertEquals("com.openai.errors.InternalServerException", error.get("type"));
    assertTrue(((String) error.get("message")).contains("fail-demo"));
    assertEquals(500, ((Number) object(failed.get("attributes")).get("http.response.status_code")).intValue());

    Path tracesDir = TraceFiles.tracesDir(dir);
    assertTrue(Files.readString(tracesDir.resolve("index.html")).contains("<html"));
    assertEquals(3, TraceFiles.viewerLines(tracesDir).stream().filter(line -> line.startsWith("wandbTrace(")).count());
  }

  /** The README's quick start: the app's own step is the root, the model call inside it, as in the seed app. */
  @Test
  void theDocumentedTraceMethodsFlagRootsEachTraceInTheAppsOwnStep() throws Exception {
    JavaProcess.Result run = java().withAgent(null)
        .jvmArg("-Dwandb.trace.methods=ai.wandb.examples.githuburl.GithubUrlAssistant[ask]").in(dir)
        .runJar(GITHUB_URL_ASSISTANT, QUESTIONS);

    assertEquals(withoutAgent.stdout(), run.stdout());
    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(3, traces.size(), run.stderr());
    for (int i = 0; i < QUESTIONS.length; i++) {
      Map<String, Object> step = traces.get(i);
      assertEquals("GithubUrlAssistant.ask", step.get("name"));
      assertEquals("CHAIN", step.get("kind"));
      assertNull(step.get("parent_id"));
      Map<String, Object> inputs = object(step.get("inputs"));
      assertEquals(QUESTIONS[i], inputs.get("question"));
      assertEquals("gpt-4o-mini", inputs.get("model"));
      List<Object> children = list(step.get("children"));
      assertEquals(1, children.size());
      Map<String, Object> call = object(children.get(0));
      assertEquals("openai.chat.completions.create", call.get("name"));
      assertEquals(step.get("span_id"), call.get("parent_id"));
    }
    assertTrue(run.stdout().contains((String) traces.get(0).get("outputs")), traces.get(0).toString());
    assertEquals("ERROR", traces.get(2).get("status"));
    assertEquals("com.openai.errors.InternalServerException", object(traces.get(2).get("error")).get("type"));
    assertTrue(run.agentLines().get(1).contains("exported 3 trace(s), 6 span(s)"), run.agentLines().toString());
  }

  @Test
  void theApplicationsOutputAndExitStatusAreUnchangedByTheAgent() throws Exception {
    JavaProcess.Result run = java().withAgent(null).in(dir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS);

    assertEquals(withoutAgent.exitCode(), run.exitCode());
    assertEquals(withoutAgent.stdout(), run.stdout());
    assertEquals(withoutAgent.appStderr(), run.appStderr());
  }

  @Test
  void theAgentSaysOneLineAtStartAndOneAtExitNamingWhereTheTracesAre() throws Exception {
    JavaProcess.Result run = java().withAgent(null).in(dir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS);

    List<String> lines = run.agentLines();
    assertEquals(2, lines.size(), run.stderr());
    String index = TraceFiles.tracesDir(dir).resolve("index.html").toString();
    assertTrue(lines.get(0).contains("tracing openai") && lines.get(0).contains(index), lines.get(0));
    assertTrue(lines.get(1).contains("exported 3 trace(s), 3 span(s); dropped 0"), lines.get(1));
  }

  @Test
  void wandbModeDisabledWritesNothingAndSaysNothing() throws Exception {
    JavaProcess.Result run = java().withAgent(null).env("WANDB_MODE", "disabled").in(dir)
        .runJar(GITHUB_URL_ASSISTANT, QUESTIONS);

    assertEquals(withoutAgent.stdout(), run.stdout());
    assertEquals(withoutAgent.stderr(), run.stderr());
    assertFalse(Files.exists(dir.resolve("wandb")));
  }

  @Test
  void wandbDirMovesTheTraceFiles() throws Exception {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    java().withAgent(null).env("WANDB_DIR", elsewhere.toString()).in(dir)
        .runJar(GITHUB_URL_ASSISTANT, QUESTIONS[0]);

    assertFalse(Files.exists(dir.resolve("wandb")));
    assertEquals(1, TraceFiles.readTraces(TraceFiles.tracesDir(elsewhere)).size());
  }

  @Test
  void withoutContentCaptureTheTraceKeepsModelTimingsAndTokensButNoText() throws Exception {
    java().withAgent(null).jvmArg("-Dwandb.capture_content=false").in(dir)
        .runJar(GITHUB_URL_ASSISTANT, QUESTIONS[0]);

    Map<String, Object> span = TraceFiles.readTraces(TraceFiles.tracesDir(dir)).get(0);
    Map<String, Object> inputs = object(span.get("inputs"));
    assertEquals("gpt-4o-mini", inputs.get("model"));
    Map<String, Object> question = object(list(inputs.get("messages")).get(1));
    assertEquals("user", question.get("role"));
    assertTrue(((String) question.get("content")).startsWith("<redacted: "), question.toString());
    String json = span.toString();
    assertFalse(json.contains("yaml"), json);
    assertTrue(((Number) object(span.get("usage")).get("total_tokens")).longValue() > 0);
  }

  @Test
  void aBadConfigValueIsOneClearLineAndTheAppRunsAsBefore() throws Exception {
    JavaProcess.Result run = java().withAgent("queue_size=lots").in(dir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS);

    assertEquals(withoutAgent.stdout(), run.stdout());
    assertEquals(withoutAgent.exitCode(), run.exitCode());
    List<String> warnings = run.agentLines().stream().filter(line -> line.contains("wandb.queue_size")).toList();
    assertEquals(1, warnings.size(), run.stderr());
    assertTrue(warnings.get(0).contains("lots"), warnings.get(0));
    assertNotNull(TraceFiles.readTraces(TraceFiles.tracesDir(dir)));
    assertEquals(3, TraceFiles.readTraces(TraceFiles.tracesDir(dir)).size());
  }
}
