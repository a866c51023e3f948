package ai.wandb.agent.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.instrumentation.executors.ExecutorsInstrumentationModule;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import dev.langchain4j.agentic.Agent;
import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * langchain4j-agentic 1.9.1-beta17: workflows already run through the planner loop, the agent invoker
 * declares its scope as an {@code AgenticScope} and the workflow's handler has no name of its own. The
 * trees must be the ones the newest beta gives.
 */
class AgenticNineBetaScenarioTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CHAT = "/v1/chat/completions";

  // Agent interfaces are public, as langchain4j-agentic requires: it calls their methods by reflection.
  public interface CreativeWriter {
    @UserMessage("Write a story of two sentences about {{topic}}. Return only the story.")
    @Agent(description = "Writes a short story about a topic", outputKey = "story")
    String generateStory(@V("topic") String topic);
  }

  public interface StyleEditor {
    @UserMessage("Rewrite this story in a {{style}} style, return only the story: {{story}}")
    @Agent(description = "Rewrites a story in a style", outputKey = "story")
    String editStory(@V("story") String story, @V("style") String style);
  }

  public interface StyleScorer {
    @UserMessage("Score from 0.0 to 1.0 how well this story fits a {{style}} style, return only the score: {{story}}")
    @Agent(description = "Scores how well a story fits a style", outputKey = "score")
    double scoreStyle(@V("story") String story, @V("style") String style);
  }

  /** A non-AI agent: a plain method, run by the workflow like the AI ones. */
  public static final class WordCounter {
    @Agent(description = "Counts the words of the story", outputKey = "words")
    public int countWords(@V("story") String story) {
      return story.split("\\s+").length;
    }
  }

  /** A non-AI agent that fails, as a step with a bad input would. */
  public static final class StoryPublisher {
    @Agent(description = "Publishes the story", outputKey = "url")
    public String publish(@V("story") String story) {
      throw new IllegalStateException("the story is too short to publish");
    }
  }

  private AgentHarness agent;
  private OpenAiTestServer server;

  @BeforeEach
  void setUp() {
    agent = AgentHarness.install(new LangChain4jInstrumentationModule(), new ExecutorsInstrumentationModule());
    server = OpenAiTestServer.start();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private OpenAiChatModel chatModel() {
    return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
        .maxRetries(0).build();
  }

  private void answers(String... contents) {
    for (String content : contents) {
      server.enqueue(CHAT, Reply.chatCompletionSaying(content));
    }
  }

  private Span onlyTrace() throws InterruptedException {
    Span root = agent.nextTrace(WAIT);
    assertTrue(root != null, "the run ended as a trace");
    assertTrue(agent.finishedTraces().isEmpty(), "one trace per run: " + agent.finishedTraces());
    return root;
  }

  private static List<String> names(List<Span> spans) {
    return spans.stream().map(Span::name).toList();
  }

  private static Map<?, ?> map(Object value) {
    return (Map<?, ?>) value;
  }

  @Test
  void aSequenceWithANestedLoopIsOneTreeOfWorkflowsAndAgents() throws Exception {
    answers("A dragon painted.", "A dragon painted, a little funny.", "0.5", "A dragon sneezed polka dots.", "0.9");
    CreativeWriter writer = AgenticServices.agentBuilder(CreativeWriter.class).chatModel(chatModel()).build();
    StyleEditor editor = AgenticServices.agentBuilder(StyleEditor.class).chatModel(chatModel()).build();
    StyleScorer scorer = AgenticServices.agentBuilder(StyleScorer.class).chatModel(chatModel()).build();
    UntypedAgent review = AgenticServices.loopBuilder()
        .name("review")
        .subAgents(editor, scorer)
        .maxIterations(5)
        .exitCondition(scope -> scope.readState("score", 0.0) >= 0.8)
        .build();
    UntypedAgent storyteller = AgenticServices.sequenceBuilder()
        .name("storyteller")
        .subAgents(writer, review, new WordCounter())
        .outputKey("story")
        .build();

    Object story = storyteller.invoke(Map.of("topic", "dragons", "style", "comedy"));

    assertEquals("A dragon sneezed polka dots.", story);
    Span root = onlyTrace();
    assertEquals("langchain4j.workflow.storyteller", root.name());
    assertEquals(SpanKind.AGENT, root.kind());
    assertEquals(SpanStatus.OK, root.status());
    assertEquals("sequence", root.attributes().get("langchain4j.agentic.workflow"));
    assertEquals(story, map(root.outputs()).get("output"));
    assertEquals(5, map(map(root.outputs()).get("state")).get("words"));
    assertEquals(List.of("langchain4j.agent.generateStory", "langchain4j.workflow.review",
        "langchain4j.agent.countWords"), names(root.children()));
    assertEquals(List.of("langchain4j.chat"), names(root.children().get(0).children()),
        "the AI agent's model call is its child, with no AI-service span between");
    Span loop = root.children().get(1);
    assertEquals("loop", loop.attributes().get("langchain4j.agentic.workflow"));
    assertEquals(List.of("langchain4j.agent.editStory", "langchain4j.agent.scoreStyle",
        "langchain4j.agent.editStory", "langchain4j.agent.scoreStyle"), names(loop.children()));
    Span counter = root.children().get(2);
    assertEquals("countWords", counter.attributes().get("gen_ai.agent.name"));
    assertEquals(5, map(counter.outputs()).get("output"));
    // LangChain4j's own topology names came with 1.10: none here.
    assertEquals(null, counter.attributes().get("langchain4j.agentic.topology"));
  }

  @Test
  void aFailingAgentIsAnErrorSpanAndTheAppGetsItsException() throws Exception {
    answers("A dragon painted.");
    CreativeWriter writer = AgenticServices.agentBuilder(CreativeWriter.class).chatModel(chatModel()).build();
    UntypedAgent publishing = AgenticServices.sequenceBuilder()
        .name("publishing")
        .subAgents(writer, new StoryPublisher())
        .build();

    RuntimeException thrown = assertThrows(RuntimeException.class, () -> publishing.invoke(Map.of("topic", "dragons")));

    Span root = onlyTrace();
    assertEquals(SpanStatus.ERROR, root.status());
    Span publish = root.children().get(1);
    assertEquals("langchain4j.agent.publish", publish.name());
    assertEquals(SpanStatus.ERROR, publish.status());
    Throwable cause = thrown;
    while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
      cause = cause.getCause();
    }
    assertEquals("the story is too short to publish", cause.getMessage());
  }
}
