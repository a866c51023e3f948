package ai.wandb.agent.instrumentation.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The invocation handler behind every {@code AiServices} proxy: an anonymous class of
 * {@code DefaultAiServices} in all 1.x versions (matched by prefix, not by its number). Only the
 * {@code InvocationHandler.invoke(proxy, method, args)} entry is hooked; 1.19 adds an inner
 * {@code invoke(method, args, context)} that the same call passes through.
 */
final class AiServiceInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return nameStartsWith("dev.langchain4j.service.DefaultAiServices$");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        named("invoke").and(takesArguments(3)).and(takesArgument(1, Method.class)), InvokeAdvice.class));
  }

  public static final class InvokeAdvice {
    private InvokeAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(1) Method method, @Advice.Argument(2) Object[] args) {
      return LangChain4jSpans.startAiService(method, args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object result, @Advice.Thrown Throwable thrown) {
      LangChain4jSpans.endAiService(span, result, thrown);
    }
  }
}
