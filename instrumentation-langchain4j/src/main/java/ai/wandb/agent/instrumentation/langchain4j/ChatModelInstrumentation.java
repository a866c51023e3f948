package ai.wandb.agent.instrumentation.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ChatModel.chat(ChatRequest[, ChatRequestOptions])}: the interface default (which calls the
 * provider's {@code doChat}) and providers that override {@code chat} themselves. The other
 * overloads ({@code chat(String)}, {@code chat(List)}) route into these; the span start skips a call
 * made inside another chat span, so each logical call has one span.
 */
final class ChatModelInstrumentation implements TypeInstrumentation {
  static final String CHAT_MODEL = "dev.langchain4j.model.chat.ChatModel";
  static final String CHAT_REQUEST = "dev.langchain4j.model.chat.request.ChatRequest";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return LangChain4jMatchers.interfaceAndLangChain4jImplementations(CHAT_MODEL, "model");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        named("chat").and(takesArgument(0, named(CHAT_REQUEST))).and(not(isAbstract())), ChatAdvice.class));
  }

  public static final class ChatAdvice {
    private ChatAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.This Object model, @Advice.Argument(0) Object request) {
      return LangChain4jSpans.startChat(model, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object response, @Advice.Thrown Throwable thrown) {
      Tracer.end(span, response, thrown);
    }
  }
}
