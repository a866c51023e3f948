package ai.wandb.agent.instrumentation.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code StreamingChatModel.chat(ChatRequest[, ChatRequestOptions], handler)}: the span starts with the
 * call and ends through the handler (see {@link StreamingHandlers}), which replaces the application's.
 */
final class StreamingChatModelInstrumentation implements TypeInstrumentation {
  static final String STREAMING_CHAT_MODEL = "dev.langchain4j.model.chat.StreamingChatModel";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return LangChain4jMatchers.interfaceAndLangChain4jImplementations(STREAMING_CHAT_MODEL, "model");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Arrays.asList(
        new MethodAdvice(chat(2), TwoArgumentAdvice.class),
        new MethodAdvice(chat(3), ThreeArgumentAdvice.class));
  }

  private static ElementMatcher<MethodDescription> chat(int arguments) {
    return named("chat").and(takesArguments(arguments))
        .and(takesArgument(0, named(ChatModelInstrumentation.CHAT_REQUEST)))
        .and(takesArgument(arguments - 1, named(StreamingHandlers.HANDLER_INTERFACE)))
        .and(not(isAbstract()));
  }

  public static final class TwoArgumentAdvice {
    private TwoArgumentAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.This Object model, @Advice.Argument(0) Object request,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
      Span span = LangChain4jSpans.startChat(model, request);
      handler = StreamingHandlers.wrap(span, handler);
      return span;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Thrown Throwable thrown) {
      LangChain4jSpans.leaveStreamingChat(span, thrown);
    }
  }

  public static final class ThreeArgumentAdvice {
    private ThreeArgumentAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.This Object model, @Advice.Argument(0) Object request,
        @Advice.Argument(value = 2, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
      Span span = LangChain4jSpans.startChat(model, request);
      handler = StreamingHandlers.wrap(span, handler);
      return span;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Thrown Throwable thrown) {
      LangChain4jSpans.leaveStreamingChat(span, thrown);
    }
  }
}
