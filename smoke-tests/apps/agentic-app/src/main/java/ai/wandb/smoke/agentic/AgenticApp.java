package ai.wandb.smoke.agentic;

import ai.wandb.smoke.agentic.StoryAgents.CreativeWriter;
import ai.wandb.smoke.agentic.StoryAgents.FoodExpert;
import ai.wandb.smoke.agentic.StoryAgents.MovieExpert;
import ai.wandb.smoke.agentic.StoryAgents.StyleEditor;
import ai.wandb.smoke.agentic.StoryAgents.StyleScorer;
import ai.wandb.smoke.agentic.StoryAgents.WordCounter;
import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Two workflow runs: a story (writer, then an edit-and-score loop until the score is good, then a word
 * count) and an evening plan (a meal and a movie suggested in parallel on the app's executor).
 * Needs OPENAI_BASE_URL and OPENAI_API_KEY.
 */
final class AgenticApp {
  private AgenticApp() {}

  public static void main(String[] args) {
    ChatModel model = OpenAiChatModel.builder()
        .baseUrl(System.getenv("OPENAI_BASE_URL"))
        .apiKey(System.getenv("OPENAI_API_KEY"))
        .modelName("gpt-4o-mini")
        .maxRetries(0)
        .build();

    CreativeWriter writer = AgenticServices.agentBuilder(CreativeWriter.class).chatModel(model).build();
    StyleEditor editor = AgenticServices.agentBuilder(StyleEditor.class).chatModel(model).build();
    StyleScorer scorer = AgenticServices.agentBuilder(StyleScorer.class).chatModel(model).build();
    UntypedAgent review = AgenticServices.loopBuilder()
        .name("review")
        .subAgents(editor, scorer)
        .maxIterations(3)
        .exitCondition(scope -> scope.readState("score", 0.0) >= 0.8)
        .build();
    UntypedAgent storyteller = AgenticServices.sequenceBuilder()
        .name("storyteller")
        .subAgents(writer, review, new WordCounter())
        .outputKey("story")
        .build();
    Object story = storyteller.invoke(Map.of("topic", "dragons", "style", "comedy"));
    System.out.println("story: " + story);

    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      FoodExpert food = AgenticServices.agentBuilder(FoodExpert.class).chatModel(model).build();
      MovieExpert movies = AgenticServices.agentBuilder(MovieExpert.class).chatModel(model).build();
      UntypedAgent evening = AgenticServices.parallelBuilder()
          .name("evening")
          .subAgents(food, movies)
          .executor(executor)
          .outputKey("plan")
          .output(scope -> scope.readState("meal") + " / " + scope.readState("movie"))
          .build();
      System.out.println("evening: " + evening.invoke(Map.of("mood", "cosy")));
    } finally {
      executor.shutdown();
    }
  }
}
