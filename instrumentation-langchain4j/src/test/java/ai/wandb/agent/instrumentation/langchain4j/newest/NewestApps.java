package ai.wandb.agent.instrumentation.langchain4j.newest;

import dev.langchain4j.agent.tool.ReturnBehavior;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.UserMessage;
import java.util.Map;

/**
 * Apps using what LangChain4j 1.0.0 lacks (ReturnBehavior 1.4+, InvocationParameters 1.6+): compiled only
 * by instrumentation-langchain4j (the lowest-version module excludes this package) and called by the
 * scenario suite through reflection, after an assumption on the version.
 */
public final class NewestApps {
  private NewestApps() {}

  interface Booking {
    Result<String> book(@UserMessage String message);
  }

  static final class TableTools {
    @Tool(value = "Books a table", returnBehavior = ReturnBehavior.IMMEDIATE)
    String bookTable(String time) {
      return "table booked for " + time;
    }
  }

  interface Greeter {
    String greet(@UserMessage String message, InvocationParameters parameters);
  }

  static final class GreetTools {
    @Tool("Greets the user in their language")
    String greet(InvocationParameters parameters) {
      return "hello, in " + parameters.get("locale");
    }
  }

  /** The tool's result, which the service returns without another model call. */
  public static String bookTable(ChatModel model) {
    Result<String> result = AiServices.builder(Booking.class).chatModel(model).tools(new TableTools()).build()
        .book("A table at 19:00, please.");
    return result.toolExecutions().get(0).result();
  }

  public static String greet(ChatModel model) {
    return AiServices.builder(Greeter.class).chatModel(model).tools(new GreetTools()).build()
        .greet("Greet me.", InvocationParameters.from(Map.of("locale", "nb-NO")));
  }
}
