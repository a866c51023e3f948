package ai.wandb.smoke.agentic;

import dev.langchain4j.agentic.Agent;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;

/** The agents of the app, declared as langchain4j-agentic's tutorial declares them. */
final class StoryAgents {
  private StoryAgents() {}

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

  public interface FoodExpert {
    @UserMessage("Give one meal fitting a {{mood}} mood.")
    @Agent(description = "Suggests a meal for a mood", outputKey = "meal")
    String findMeal(@V("mood") String mood);
  }

  public interface MovieExpert {
    @UserMessage("Give one movie fitting a {{mood}} mood.")
    @Agent(description = "Suggests a movie for a mood", outputKey = "movie")
    String findMovie(@V("mood") String mood);
  }

  /** A non-AI agent: plain code run as a step of the workflow. */
  public static final class WordCounter {
    @Agent(description = "Counts the words of the story", outputKey = "words")
    public int countWords(@V("story") String story) {
      return story.split("\\s+").length;
    }
  }
}
