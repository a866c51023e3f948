package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.SMOKE_APPS;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A langchain4j-agentic app under the real agent jar: each workflow run is one trace in the JSONL, the
 * workflow with its sub-agents (and a nested loop with its iterations, and parallel branches run on the
 * app's executor) nested under it, and the app prints exactly what it prints without the agent.
 */
class AgenticAppSmokeTest {
  private static final Path APP = SMOKE_APPS.resolve("agentic-app");
  private static final String CLASS_PATH = APP.resolve("target/agentic-app.jar") + File.pathSeparator
      + APP.resolve("target/lib") + File.separator + "*";
  private static final String MAIN = "ai.wandb.smoke.agentic.AgenticApp";

  private final OpenAiTestServer server = OpenAiTestServer.start();

  @TempDir
  Path dir;

  @AfterEach
  void tearDown() {
    server.close();
  }

  /** One run's model answers, in the order the app asks (the two parallel branches get the same text). */
  private void answerOneRun() {
    for (String content : List.of("A dragon found a paintbrush. It painted the sunrise.",
        "A dragon found a paintbrush, sneezed, and the sunrise came out polka-dotted.", "0.5",
        "A dragon sneezed on its paintbrush: the sunrise came out polka-dotted and everyone laughed.", "0.9",
        "Something warm and slow.", "Something warm and slow.")) {
      server.enqueue("/v1/chat/completions", Reply.chatCompletionSaying(content));
    }
  }

  private JavaProcess app() {
    return JavaProcess.java().env("OPENAI_BASE_URL", server.baseUrl()).env("OPENAI_API_KEY", "sk-smoke");
  }

  @Test
  void eachWorkflowRunIsOneNestedTraceAndTheAppPrintsTheSame(@TempDir Path plainDir) throws Exception {
    answerOneRun();
    JavaProcess.Result plain = app().in(plainDir).runMain(CLASS_PATH, MAIN);
    answerOneRun();
    JavaProcess.Result run = app().withAgent(null).in(dir).runMain(CLASS_PATH, MAIN);

    assertEquals(0, plain.exitCode(), plain.stderr());
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(plain.stdout(), run.stdout(), "the app's output is unchanged by the agent");
    assertEquals(plain.stderr().lines().toList(), run.appStderr().lines().toList(),
        "the app's stderr is unchanged by the agent");

    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(List.of("langchain4j.workflow.storyteller", "langchain4j.workflow.evening"),
        traces.stream().map(trace -> trace.get("name")).toList(), run.stderr());

    Map<String, Object> story = traces.get(0);
    assertNull(story.get("parent_id"));
    assertEquals("OK", story.get("status"));
    assertEquals("sequence", object(story.get("attributes")).get("langchain4j.agentic.workflow"));
    List<Map<String, Object>> steps = children(story);
    assertEquals(List.of("langchain4j.agent.generateStory", "langchain4j.workflow.review",
        "langchain4j.agent.countWords"), names(steps));
    assertChildrenOf(story, steps);
    assertEquals(List.of("langchain4j.chat"), names(children(steps.get(0))));
    assertEquals(List.of(), children(steps.get(2)), "the non-AI agent calls no model");

    Map<String, Object> loop = steps.get(1);
    assertEquals(2, object(loop.get("attributes")).get("langchain4j.agentic.iterations"));
    List<Map<String, Object>> rounds = children(loop);
    assertChildrenOf(loop, rounds);
    assertEquals(List.of("langchain4j.agent.editStory", "langchain4j.agent.scoreStyle",
        "langchain4j.agent.editStory", "langchain4j.agent.scoreStyle"), names(rounds));
    assertEquals(List.of(1, 1, 2, 2),
        rounds.stream().map(r -> object(r.get("attributes")).get("langchain4j.agentic.iteration")).toList());
    String printed = run.stdout().lines().filter(line -> line.startsWith("story: ")).findFirst().orElseThrow();
    assertEquals(printed.substring("story: ".length()), object(story.get("outputs")).get("output"));

    Map<String, Object> evening = traces.get(1);
    assertEquals("parallel", object(evening.get("attributes")).get("langchain4j.agentic.workflow"));
    List<Map<String, Object>> branches = children(evening);
    assertChildrenOf(evening, branches);
    assertEquals(Set.of("langchain4j.agent.findMeal", "langchain4j.agent.findMovie"),
        branches.stream().map(b -> b.get("name")).collect(Collectors.toSet()));
    for (Map<String, Object> branch : branches) {
      assertEquals(List.of("langchain4j.chat"), names(children(branch)));
    }
  }

  private static List<Map<String, Object>> children(Map<String, Object> span) {
    return list(span.get("children")).stream().map(TraceFiles::object).toList();
  }

  private static List<Object> names(List<Map<String, Object>> spans) {
    return spans.stream().map(span -> span.get("name")).toList();
  }

  private static void assertChildrenOf(Map<String, Object> parent, List<Map<String, Object>> children) {
    for (Map<String, Object> child : children) {
      assertEquals(parent.get("span_id"), child.get("parent_id"), child.get("name") + " nests under " + parent.get("name"));
      assertEquals(parent.get("trace_id"), child.get("trace_id"));
    }
  }
}
