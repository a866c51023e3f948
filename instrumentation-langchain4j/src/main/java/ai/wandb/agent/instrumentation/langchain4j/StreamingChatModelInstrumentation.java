package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.List;

/**
 * {@code StreamingChatModel.chat(ChatRequest[, ChatRequestOptions], handler)}: the span starts with the
 * call and ends through the handler (see {@link StreamingHandlers}).
 */
final class StreamingChatModelInstrumentation implements TypeInstrumentation {
  static final String STREAMING_CHAT_MODEL = "dev.langchain4j.model.chat.StreamingChatModel";

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.implementationsOf(STREAMING_CHAT_MODEL, LangChain4jInstrumentationModule.LIBRARY);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Arrays.asList(
        new MethodAdvice(chat(2), new ChatHook(1)),
        new MethodAdvice(chat(3), new ChatHook(2)));
  }

  private static MethodMatcher chat(int arguments) {
    return MethodMatcher.named("chat").takesArguments(arguments)
        .takesArgument(0, ChatModelInstrumentation.CHAT_REQUEST)
        .takesArgument(arguments - 1, StreamingHandlers.HANDLER_INTERFACE);
  }

  /** Starts the span and shows the handler, passed on untouched, to {@link StreamingHandlers}, which follows it. */
  static final class ChatHook implements MethodHook {
    private final int handlerIndex;

    ChatHook(int handlerIndex) {
      this.handlerIndex = handlerIndex;
    }

    @Override
    public Object enter(HookSite site, Object model, Object[] arguments) {
      Span span = LangChain4jSpans.startChat(model, arguments[0]);
      StreamingHandlers.follow(span, arguments[handlerIndex], site.typeName());
      return span;
    }

    @Override
    public Object exit(HookSite site, Object span, Object model, Object returned, Throwable thrown) {
      LangChain4jSpans.leaveStreamingChat((Span) span, thrown);
      return returned;
    }
  }
}
