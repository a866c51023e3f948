package ai.wandb.agent.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import dev.langchain4j.agentic.declarative.ExitCondition;
import dev.langchain4j.agentic.declarative.LoopAgent;
import dev.langchain4j.agentic.declarative.SequenceAgent;
import dev.langchain4j.agentic.supervisor.SupervisorAgent;
import dev.langchain4j.agentic.supervisor.SupervisorContextStrategy;
import dev.langchain4j.agentic.supervisor.SupervisorResponseStrategy;
import dev.langchain4j.agentic.workflow.HumanInTheLoop;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * langchain4j-agentic workflows against the local OpenAI-compatible server: each run is one trace, a
 * workflow span with its sub-agents nested, every AI agent's model call under its agent. Runs on the
 * newest LangChain4j only: the agentic module does not exist for the lowest supported core (1.0.0).
 */
class AgenticScenarioTest {
  // Agent interfaces are public, as langchain4j-agentic requires: it calls their methods by reflection.
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CHAT = "/v1/chat/completions";

  public interface CreativeWriter {
    @UserMessage("Write a story of two sentences about {{topic}}. Return only the story.")
    @Agent(description = "Writes a short story about a topic", outputKey = "story")
    String generateStory(@V("topic") String topic);
  }

  public interface StreamingWriter {
    @UserMessage("Write a story of two sentences about {{topic}}. Return only the story.")
    @Agent(description = "Writes a short story about a topic", outputKey = "story")
    TokenStream generateStory(@V("topic") String topic);
  }

  public interface Translator {
    @UserMessage("Translate into French, return only the translation: {{text}}")
    @Agent(description = "Translates a text into French", outputKey = "translation")
    String translate(@V("text") String text);
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

  public interface FoodExpert {
    @UserMessage("Give three meals fitting a {{mood}} mood, one line each.")
    @Agent(description = "Suggests meals for a mood", outputKey = "meals")
    String findMeals(@V("mood") String mood);
  }

  public interface MovieExpert {
    @UserMessage("Give three movies fitting a {{mood}} mood, one line each.")
    @Agent(description = "Suggests movies for a mood", outputKey = "movies")
    String findMovies(@V("mood") String mood);
  }

  public enum RequestCategory { LEGAL, MEDICAL, UNKNOWN }

  public interface CategoryRouter {
    @UserMessage("Classify this request as LEGAL, MEDICAL or UNKNOWN, return only the category: {{request}}")
    @Agent(description = "Classifies a user request", outputKey = "category")
    RequestCategory classify(@V("request") String request);
  }

  public interface LegalExpert {
    @UserMessage("You are a lawyer. Answer briefly: {{request}}")
    @Agent(name = "legalExpert", description = "Answers legal questions", outputKey = "response")
    String answer(@V("request") String request);
  }

  public interface MedicalExpert {
    @UserMessage("You are a doctor. Answer briefly: {{request}}")
    @Agent(name = "medicalExpert", description = "Answers medical questions", outputKey = "response")
    String answer(@V("request") String request);
  }

  public interface BankAgent {
    @UserMessage("Withdraw {{amount}} EUR from the account of {{user}} and confirm it.")
    @Agent(name = "withdraw", description = "Withdraws an amount from a user's account")
    String withdraw(@V("user") String user, @V("amount") double amount);
  }

  /** Declarative workflows: a typed sequence holding a loop, built from annotations alone. */
  public interface StyleReviewLoop {
    @LoopAgent(description = "Edits the story until it fits the style", outputKey = "story", maxIterations = 3,
        subAgents = {StyleEditor.class, StyleScorer.class})
    String review(@V("story") String story, @V("style") String style);

    @ExitCondition(testExitAtLoopEnd = true)
    static boolean goodEnough(@V("score") double score) {
      return score >= 0.8;
    }
  }

  public interface StoryCreator {
    @SequenceAgent(outputKey = "story", subAgents = {CreativeWriter.class, StyleReviewLoop.class})
    String write(@V("topic") String topic, @V("style") String style);
  }

  /** A non-AI agent: a plain method, run by the workflow like the AI ones. */
  public static final class WordCounter {
    @Agent(description = "Counts the words of the story", outputKey = "words")
    public int countWords(@V("story") String story) {
      return story.split("\\s+").length;
    }
  }

  /** A non-AI agent joining two results. */
  public static final class PlanWriter {
    @Agent(description = "Writes the evening plan", outputKey = "plan")
    public String writePlan(@V("meals") String meals, @V("movies") String movies) {
      return meals + " / " + movies;
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

  /** The one trace of a run: nothing else finished (no sub-agent escaped into a trace of its own). */
  private Span onlyTrace() throws InterruptedException {
    Span root = agent.nextTrace(WAIT);
    assertTrue(root != null, "the run ended as a trace");
    assertTrue(agent.finishedTraces().isEmpty(), "one trace per run: " + agent.finishedTraces());
    return root;
  }

  private static Map<?, ?> map(Object value) {
    return (Map<?, ?>) value;
  }

  private static List<String> names(List<Span> spans) {
    return spans.stream().map(Span::name).toList();
  }

  /** An AI agent span: AGENT, its one model call as its only child (no AI-service span in between). */
  private static void assertAiAgent(Span span, String name) {
    assertEquals("langchain4j.agent." + name, span.name());
    assertEquals(SpanKind.AGENT, span.kind());
    assertEquals(SpanStatus.OK, span.status());
    assertEquals(name, span.attributes().get("gen_ai.agent.name"));
    assertEquals(List.of("langchain4j.chat"), names(span.children()), "the agent's model call is its child");
  }

  @Test
  void sequenceOfAiAndNonAiAgentsIsOneTree() throws Exception {
    answers("A dragon found a paintbrush. It painted the sunrise.",
        "A dragon found a paintbrush and sneezed. The sunrise came out polka-dotted.");
    CreativeWriter writer = AgenticServices.agentBuilder(CreativeWriter.class).chatModel(chatModel()).build();
    StyleEditor editor = AgenticServices.agentBuilder(StyleEditor.class).chatModel(chatModel()).build();
    UntypedAgent storyteller = AgenticServices.sequenceBuilder()
        .name("storyteller")
        .subAgents(writer, editor, new WordCounter())
        .outputKey("story")
        .build();

    Object story = storyteller.invoke(Map.of("topic", "dragons", "style", "comedy"));

    Span root = onlyTrace();
    assertEquals("langchain4j.workflow.storyteller", root.name());
    assertEquals(SpanKind.AGENT, root.kind());
    assertEquals(SpanStatus.OK, root.status());
    assertEquals("sequence", root.attributes().get("langchain4j.agentic.workflow"));
    assertEquals(Map.of("topic", "dragons", "style", "comedy"), map(root.inputs()).get("state"));
    assertEquals(story, map(root.outputs()).get("output"));
    Map<?, ?> finalState = map(map(root.outputs()).get("state"));
    assertEquals(story, finalState.get("story"));
    assertEquals(12, finalState.get("words"));

    List<Span> steps = root.children();
    assertEquals(List.of("langchain4j.agent.generateStory", "langchain4j.agent.editStory",
        "langchain4j.agent.countWords"), names(steps));
    assertAiAgent(steps.get(0), "generateStory");
    assertEquals(Map.of("topic", "dragons"), map(steps.get(0).inputs()).get("arguments"));
    assertEquals("A dragon found a paintbrush. It painted the sunrise.", map(steps.get(0).outputs()).get("output"));
    assertEquals("story", steps.get(0).attributes().get("langchain4j.agentic.output_key"));
    assertTrue(String.valueOf(map(steps.get(0).inputs()).get("user_message")).contains("about dragons"),
        "the user message the agent sent: " + steps.get(0).inputs());
    assertAiAgent(steps.get(1), "editStory");
    assertEquals(Map.of("story", "A dragon found a paintbrush. It painted the sunrise.", "style", "comedy"),
        map(steps.get(1).inputs()).get("arguments"));

    Span counter = steps.get(2);
    assertEquals(SpanKind.AGENT, counter.kind());
    assertEquals(SpanStatus.OK, counter.status());
    assertTrue(counter.children().isEmpty(), "a non-AI agent calls no model");
    assertEquals(Map.of("story", story), map(counter.inputs()).get("arguments"));
    assertEquals(12, map(counter.outputs()).get("output"));
  }

  @Test
  void declarativeWorkflowsNestLikeBuiltOnes() throws Exception {
    answers("A dragon painted.", "A dragon painted, then sneezed polka dots.", "0.9");
    StoryCreator creator = AgenticServices.createAgenticSystem(StoryCreator.class, chatModel());

    String story = creator.write("dragons", "comedy");

    assertEquals("A dragon painted, then sneezed polka dots.", story);
    Span root = onlyTrace();
    assertEquals("langchain4j.workflow.write", root.name());
    assertEquals(story, map(root.outputs()).get("output"));
    assertEquals(List.of("langchain4j.agent.generateStory", "langchain4j.workflow.review"), names(root.children()));
    Span loop = root.children().get(1);
    assertEquals("loop", loop.attributes().get("langchain4j.agentic.workflow"));
    assertEquals(List.of("langchain4j.agent.editStory", "langchain4j.agent.scoreStyle"), names(loop.children()));
    loop.children().forEach(step -> assertAiAgent(step, step.name().substring("langchain4j.agent.".length())));
  }

  @Test
  void aStreamingAgentsServiceSpanLastsUntilItsStreamEnds() throws Exception {
    server.enqueue(CHAT, Reply.sse("langchain4j-chat-completion-stream"));
    StreamingWriter writer = AgenticServices.agentBuilder(StreamingWriter.class)
        .streamingChatModel(OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
            .modelName("gpt-4o-mini").build())
        .build();
    UntypedAgent storyteller = AgenticServices.sequenceBuilder()
        .name("streamingStoryteller")
        .subAgents(writer, new WordCounter())
        .build();

    storyteller.invoke(Map.of("topic", "dragons"));

    Span root = onlyTrace();
    assertTrue(map(map(root.outputs()).get("state")).get("words") instanceof Integer, root.outputs().toString());
    assertEquals(List.of("langchain4j.agent.generateStory", "langchain4j.agent.countWords"), names(root.children()));
    Span streaming = root.children().get(0);
    assertEquals(List.of("langchain4j.ai_service.StreamingWriter.generateStory"), names(streaming.children()));
    Span service = streaming.children().get(0);
    assertEquals(List.of("langchain4j.chat"), names(service.children()));
    assertEquals(SpanStatus.OK, service.status());
    assertTrue(service.endEpochNanos() >= service.children().get(0).endEpochNanos(), "the service span ends with its stream");
  }

  @Test
  void loopShowsItsIterationsAndStopsAtTheExitCondition() throws Exception {
    answers("Draft one, a little funny.", "0.5", "Draft two, very funny.", "0.9");
    StyleEditor editor = AgenticServices.agentBuilder(StyleEditor.class).chatModel(chatModel()).build();
    StyleScorer scorer = AgenticServices.agentBuilder(StyleScorer.class).chatModel(chatModel()).build();
    UntypedAgent reviewLoop = AgenticServices.loopBuilder()
        .subAgents(editor, scorer)
        .maxIterations(5)
        .exitCondition(scope -> scope.readState("score", 0.0) >= 0.8)
        .outputKey("story")
        .build();

    Object story = reviewLoop.invoke(Map.of("story", "A dragon painted.", "style", "comedy"));

    assertEquals("Draft two, very funny.", story);
    Span root = onlyTrace();
    assertTrue(root.name().startsWith("langchain4j.workflow."), root.name());
    assertEquals("loop", root.attributes().get("langchain4j.agentic.workflow"));
    assertEquals(2, root.attributes().get("langchain4j.agentic.iterations"));
    List<Span> steps = root.children();
    assertEquals(List.of("langchain4j.agent.editStory", "langchain4j.agent.scoreStyle",
        "langchain4j.agent.editStory", "langchain4j.agent.scoreStyle"), names(steps));
    assertEquals(List.of(1, 1, 2, 2),
        steps.stream().map(step -> step.attributes().get("langchain4j.agentic.iteration")).toList());
    steps.forEach(step -> assertAiAgent(step, step.name().substring("langchain4j.agent.".length())));
    assertEquals("Draft one, a little funny.", map(steps.get(2).inputs()).get("arguments") instanceof Map<?, ?> args
        ? args.get("story") : null, "the second iteration reads the first one's story");
    assertEquals(0.9, map(map(root.outputs()).get("state")).get("score"));
  }

  @Test
  void parallelBranchesNestUnderTheirWorkflow() throws Exception {
    answers("Pasta, candles, tiramisu.", "Casablanca, Amelie, Before Sunrise.");
    FoodExpert food = AgenticServices.agentBuilder(FoodExpert.class).chatModel(chatModel()).build();
    MovieExpert movies = AgenticServices.agentBuilder(MovieExpert.class).chatModel(chatModel()).build();
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      UntypedAgent eveningPlanner = AgenticServices.parallelBuilder()
          .name("eveningPlanner")
          .subAgents(food, movies)
          .executor(executor)
          .outputKey("plan")
          .output(scope -> scope.readState("meals") + " / " + scope.readState("movies"))
          .build();

      Object plan = eveningPlanner.invoke(Map.of("mood", "romantic"));

      Span root = onlyTrace();
      assertEquals("langchain4j.workflow.eveningPlanner", root.name());
      assertEquals("parallel", root.attributes().get("langchain4j.agentic.workflow"));
      assertEquals(plan, map(root.outputs()).get("output"));
      List<Span> branches = root.children();
      assertEquals(Set.of("langchain4j.agent.findMeals", "langchain4j.agent.findMovies"),
          branches.stream().map(Span::name).collect(Collectors.toSet()));
      branches.forEach(branch -> {
        assertEquals(root.traceId(), branch.traceId());
        assertAiAgent(branch, branch.name().substring("langchain4j.agent.".length()));
        assertEquals(Map.of("mood", "romantic"), map(branch.inputs()).get("arguments"));
      });
      assertEquals(Set.of("Pasta, candles, tiramisu.", "Casablanca, Amelie, Before Sunrise."),
          branches.stream().map(branch -> map(branch.outputs()).get("output")).collect(Collectors.toSet()));
    } finally {
      executor.shutdown();
    }
  }

  @Test
  void parallelMapperRunsOneAgentPerItemUnderItsWorkflow() throws Exception {
    answers("Bonjour.", "Bonjour.");
    Translator translator = AgenticServices.agentBuilder(Translator.class).chatModel(chatModel()).build();
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      UntypedAgent translations = AgenticServices.parallelMapperBuilder()
          .name("translations")
          .subAgents(translator)
          .itemsProvider("texts")
          .executor(executor)
          .outputKey("translated")
          .build();

      translations.invoke(Map.of("texts", List.of("Hello.", "Good morning.")));

      Span root = onlyTrace();
      assertEquals("parallel_mapper", root.attributes().get("langchain4j.agentic.workflow"));
      assertEquals(Set.of("langchain4j.agent.translate_0", "langchain4j.agent.translate_1"),
          root.children().stream().map(Span::name).collect(Collectors.toSet()));
      assertEquals(Set.of(Map.of("text", "Hello."), Map.of("text", "Good morning.")),
          root.children().stream().map(item -> map(item.inputs()).get("arguments")).collect(Collectors.toSet()));
    } finally {
      executor.shutdown();
    }
  }

  @Test
  void asyncAgentsNestUnderTheirWorkflow() throws Exception {
    answers("Pasta, candles, tiramisu.", "Casablanca, Amelie, Before Sunrise.");
    FoodExpert food = AgenticServices.agentBuilder(FoodExpert.class).chatModel(chatModel()).async(true).build();
    MovieExpert movies = AgenticServices.agentBuilder(MovieExpert.class).chatModel(chatModel()).async(true).build();
    UntypedAgent eveningPlanner = AgenticServices.sequenceBuilder()
        .name("asyncEveningPlanner")
        .subAgents(food, movies, new PlanWriter())
        .outputKey("plan")
        .build();

    Object plan = eveningPlanner.invoke(Map.of("mood", "romantic"));

    Span root = onlyTrace();
    assertEquals(plan, map(root.outputs()).get("output"));
    List<Span> steps = root.children();
    assertEquals(Set.of("langchain4j.agent.findMeals", "langchain4j.agent.findMovies", "langchain4j.agent.writePlan"),
        steps.stream().map(Span::name).collect(Collectors.toSet()));
    steps.stream().filter(step -> !step.name().endsWith("writePlan"))
        .forEach(step -> assertAiAgent(step, step.name().substring("langchain4j.agent.".length())));
  }

  @Test
  void conditionalRunsOnlyTheChosenAgent() throws Exception {
    answers("LEGAL", "You may keep the deposit only for damages.");
    CategoryRouter router = AgenticServices.agentBuilder(CategoryRouter.class).chatModel(chatModel()).build();
    LegalExpert legal = AgenticServices.agentBuilder(LegalExpert.class).chatModel(chatModel()).build();
    MedicalExpert medical = AgenticServices.agentBuilder(MedicalExpert.class).chatModel(chatModel()).build();
    UntypedAgent experts = AgenticServices.conditionalBuilder()
        .name("experts")
        .subAgents(scope -> scope.readState("category", RequestCategory.UNKNOWN) == RequestCategory.MEDICAL, medical)
        .subAgents(scope -> scope.readState("category", RequestCategory.UNKNOWN) == RequestCategory.LEGAL, legal)
        .build();
    UntypedAgent helpDesk = AgenticServices.sequenceBuilder()
        .name("helpDesk")
        .subAgents(router, experts)
        .outputKey("response")
        .build();

    Object response = helpDesk.invoke(Map.of("request", "Can my landlord keep my deposit?"));

    Span root = onlyTrace();
    assertEquals("langchain4j.workflow.helpDesk", root.name());
    assertEquals(response, map(root.outputs()).get("output"));
    assertEquals(List.of("langchain4j.agent.classify", "langchain4j.workflow.experts"), names(root.children()));
    assertEquals("LEGAL", map(root.children().get(0).outputs()).get("output"));
    Span conditional = root.children().get(1);
    assertEquals(SpanKind.AGENT, conditional.kind());
    assertEquals("conditional", conditional.attributes().get("langchain4j.agentic.workflow"));
    assertEquals("LEGAL", map(map(conditional.inputs()).get("state")).get("category"));
    assertEquals(List.of("langchain4j.agent.legalExpert"), names(conditional.children()));
    assertAiAgent(conditional.children().get(0), "legalExpert");
  }

  @Test
  void supervisorPlannerAndScorerCallsNestUnderTheSupervisor() throws Exception {
    answers("{\"agentName\": \"withdraw\", \"arguments\": {\"user\": \"Mario\", \"amount\": 100}}",
        "Withdrew 100 EUR from Mario's account.",
        "{\"agentName\": \"done\", \"arguments\": {\"response\": \"100 EUR were withdrawn from Mario.\"}}",
        "{\"score1\": 0.4, \"score2\": 0.9}");
    BankAgent bank = AgenticServices.agentBuilder(BankAgent.class).chatModel(chatModel()).build();
    SupervisorAgent banker = AgenticServices.supervisorBuilder()
        .chatModel(chatModel())
        .subAgents(bank)
        .responseStrategy(SupervisorResponseStrategy.SCORED)
        .build();

    String result = banker.invoke("Withdraw 100 EUR from Mario's account");

    assertEquals("100 EUR were withdrawn from Mario.", result);
    Span root = onlyTrace();
    assertEquals("supervisor", root.attributes().get("langchain4j.agentic.workflow"));
    assertEquals(SpanStatus.OK, root.status());
    assertEquals(result, map(root.outputs()).get("output"));
    assertEquals(List.of("langchain4j.ai_service.PlannerAgent.plan", "langchain4j.agent.withdraw",
        "langchain4j.ai_service.PlannerAgent.plan", "langchain4j.ai_service.ResponseAgent.scoreResponses"),
        names(root.children()));
    for (Span step : root.children()) {
      assertEquals(List.of("langchain4j.chat"), names(step.children()), step.name() + " made its model call");
    }
    assertAiAgent(root.children().get(1), "withdraw");
    assertEquals(Map.of("user", "Mario", "amount", 100.0), map(root.children().get(1).inputs()).get("arguments"));
  }

  @Test
  void theSupervisorsContextSummaryNestsUnderThePlannerCallThatAskedForIt() throws Exception {
    answers("{\"agentName\": \"withdraw\", \"arguments\": {\"user\": \"Mario\", \"amount\": 100}}",
        "Withdrew 100 EUR from Mario's account.",
        "{\"summary\": \"The withdraw agent took 100 EUR from Mario's account.\"}",
        "{\"agentName\": \"done\", \"arguments\": {\"response\": \"100 EUR were withdrawn from Mario.\"}}");
    BankAgent bank = AgenticServices.agentBuilder(BankAgent.class).chatModel(chatModel()).build();
    SupervisorAgent banker = AgenticServices.supervisorBuilder()
        .chatModel(chatModel())
        .subAgents(bank)
        .contextGenerationStrategy(SupervisorContextStrategy.SUMMARIZATION)
        .responseStrategy(SupervisorResponseStrategy.SUMMARY)
        .build();

    assertEquals("100 EUR were withdrawn from Mario.", banker.invoke("Withdraw 100 EUR from Mario's account"));

    Span root = onlyTrace();
    assertEquals(List.of("langchain4j.ai_service.PlannerAgent.plan", "langchain4j.agent.withdraw",
        "langchain4j.ai_service.PlannerAgent.plan"), names(root.children()));
    Span secondPlan = root.children().get(2);
    assertEquals(List.of("langchain4j.chat", "langchain4j.chat"), names(secondPlan.children()),
        "the summary LangChain4j asks for inside the planner's call, then the planner's own model call");
    assertTrue(server.requests().get(2).body().contains("Create a short summary"), "the third model call is the summary");
    assertTrue(secondPlan.children().get(0).endEpochNanos() <= secondPlan.children().get(1).startEpochNanos());
  }

  @Test
  void humanInTheLoopIsAnAgentOfItsWorkflow() throws Exception {
    answers("A dragon found a paintbrush and sneezed polka dots.");
    HumanInTheLoop styleQuestion = AgenticServices.humanInTheLoopBuilder()
        .description("Asks the reader which style they like")
        .outputKey("style")
        .responseProvider(() -> "comedy")
        .build();
    StyleEditor editor = AgenticServices.agentBuilder(StyleEditor.class).chatModel(chatModel()).build();
    UntypedAgent storyteller = AgenticServices.sequenceBuilder()
        .name("askingStoryteller")
        .subAgents(styleQuestion, editor)
        .outputKey("story")
        .build();

    storyteller.invoke(Map.of("story", "A dragon painted."));

    Span root = onlyTrace();
    assertEquals(2, root.children().size(), names(root.children()).toString());
    Span human = root.children().get(0);
    assertEquals(SpanKind.AGENT, human.kind());
    assertEquals("comedy", map(human.outputs()).get("output"));
    assertTrue(human.children().isEmpty());
    assertAiAgent(root.children().get(1), "editStory");
    assertEquals("comedy", map(map(root.children().get(1).inputs()).get("arguments")).get("style"));
  }

  @Test
  void aStandaloneAgentCallIsAnAiServiceCall() throws Exception {
    answers("A dragon painted.");
    CreativeWriter writer = AgenticServices.agentBuilder(CreativeWriter.class).chatModel(chatModel()).build();

    assertEquals("A dragon painted.", writer.generateStory("dragons"));

    Span root = onlyTrace();
    assertEquals("langchain4j.ai_service.CreativeWriter.generateStory", root.name());
    assertEquals(List.of("langchain4j.chat"), names(root.children()));
  }

  @Test
  void aFailingAgentFailsItsSpanAndItsWorkflow() throws Exception {
    answers("A dragon painted.");
    CreativeWriter writer = AgenticServices.agentBuilder(CreativeWriter.class).chatModel(chatModel()).build();
    UntypedAgent publishing = AgenticServices.sequenceBuilder()
        .name("publishing")
        .subAgents(writer, new StoryPublisher())
        .build();

    RuntimeException thrown = assertThrows(RuntimeException.class, () -> publishing.invoke(Map.of("topic", "dragons")));

    Span root = onlyTrace();
    assertEquals(SpanStatus.ERROR, root.status());
    assertEquals(thrown.getClass().getName(), root.errorJson().get("type"));
    List<Span> steps = root.children();
    assertEquals(List.of("langchain4j.agent.generateStory", "langchain4j.agent.publish"), names(steps));
    assertEquals(SpanStatus.OK, steps.get(0).status());
    assertEquals(SpanStatus.ERROR, steps.get(1).status());
    assertNotEquals(null, steps.get(1).error());
  }
}
