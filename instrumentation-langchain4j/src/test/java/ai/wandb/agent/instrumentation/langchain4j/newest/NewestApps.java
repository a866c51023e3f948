package ai.wandb.agent.instrumentation.langchain4j.newest;

import dev.langchain4j.agent.tool.ReturnBehavior;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.guardrail.OutputGuardrail;
import dev.langchain4j.guardrail.OutputGuardrailResult;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import java.util.function.Consumer;

/**
 * Apps using what LangChain4j 1.0.0 lacks (ReturnBehavior 1.4+, output guardrails 1.3+), on 1.4 and
 * later ({@link InvocationParametersApp} holds the 1.6+ one): compiled only by instrumentation-langchain4j
 * and instrumentation-langchain4j-1.5 (the lowest-version module excludes this package) and called by
 * the scenario suite through reflection, after an assumption on the version.
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

  /** The tool's result, which the service returns without another model call. */
  public static String bookTable(ChatModel model) {
    Result<String> result = AiServices.builder(Booking.class).chatModel(model).tools(new TableTools()).build()
        .book("A table at 19:00, please.");
    return result.toolExecutions().get(0).result();
  }

  interface StreamingOrderDesk {
    TokenStream handle(@UserMessage String message);
  }

  /** Both tools return their result to the app at once: the stream ends after the model's first answer. */
  static final class ImmediateOrderTools {
    @Tool(value = "Looks up an order", returnBehavior = ReturnBehavior.IMMEDIATE)
    String orderStatus(String orderId) {
      return "order " + orderId + " shipped";
    }

    @Tool(value = "Cancels an order", returnBehavior = ReturnBehavior.IMMEDIATE)
    String cancelOrder(String orderId) {
      return "cancellation of " + orderId + " requested";
    }
  }

  /** A streaming service whose tools return immediately, with the app's consumers. */
  public static void streamImmediateTools(StreamingChatModel model, Consumer<Object> onToolExecuted,
      Consumer<ChatResponse> onComplete, Consumer<Throwable> onError) {
    AiServices.builder(StreamingOrderDesk.class).streamingChatModel(model).tools(new ImmediateOrderTools()).build()
        .handle("Where is order A-17? Cancel it.")
        .onPartialResponse(token -> { })
        .onToolExecuted(onToolExecuted::accept)
        .onCompleteResponse(onComplete)
        .onError(onError)
        .start();
  }

  interface GuardedAssistant {
    TokenStream chat(@UserMessage String message);
  }

  /** Runs {@code validating} when it checks the answer, then lets it through or fails it for good. */
  static final class AnswerGuard implements OutputGuardrail {
    private final boolean passes;
    private final Runnable validating;

    AnswerGuard(boolean passes, Runnable validating) {
      this.passes = passes;
      this.validating = validating;
    }

    @Override
    public OutputGuardrailResult validate(AiMessage responseFromLLM) {
      validating.run();
      return passes ? success() : fatal("the answer mentions an order it should not");
    }
  }

  /** A streaming service with an output guardrail, with the app's consumers. */
  public static void streamGuarded(StreamingChatModel model, boolean passes, Runnable validating,
      Consumer<String> onPartial, Consumer<ChatResponse> onComplete, Consumer<Throwable> onError) {
    AiServices.builder(GuardedAssistant.class).streamingChatModel(model)
        .outputGuardrails(new AnswerGuard(passes, validating)).build()
        .chat("Where is order A-17?")
        .onPartialResponse(onPartial)
        .onCompleteResponse(onComplete)
        .onError(onError)
        .start();
  }
}
