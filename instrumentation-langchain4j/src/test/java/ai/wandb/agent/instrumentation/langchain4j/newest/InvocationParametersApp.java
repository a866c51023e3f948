package ai.wandb.agent.instrumentation.langchain4j.newest;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.UserMessage;
import java.util.Map;

/**
 * A tool taking {@code InvocationParameters} (1.6+): compiled only by instrumentation-langchain4j, called
 * by the scenario suite through reflection after an assumption on the version.
 */
public final class InvocationParametersApp {
  private InvocationParametersApp() {}

  interface Greeter {
    String greet(@UserMessage String message, InvocationParameters parameters);
  }

  static final class GreetTools {
    @Tool("Greets the user in their language")
    String greet(InvocationParameters parameters) {
      return "hello, in " + parameters.get("locale");
    }
  }

  public static String greet(ChatModel model) {
    return AiServices.builder(Greeter.class).chatModel(model).tools(new GreetTools()).build()
        .greet("Greet me.", InvocationParameters.from(Map.of("locale", "nb-NO")));
  }
}
