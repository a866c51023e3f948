package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;

/**
 * The invocation handler behind every {@code AiServices} proxy: an anonymous class of
 * {@code DefaultAiServices} in all 1.x versions (matched by prefix, not by its number). Only the
 * {@code InvocationHandler.invoke(proxy, method, args)} entry is hooked; 1.19 adds an inner
 * {@code invoke(method, args, context)} that the same call passes through.
 */
final class AiServiceInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.nameStartsWith("dev.langchain4j.service.DefaultAiServices$");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        MethodMatcher.named("invoke").takesArguments(3).takesArgument(1, "java.lang.reflect.Method"), new InvokeHook()));
  }

  static final class InvokeHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return LangChain4jSpans.startAiService((Method) arguments[1], (Object[]) arguments[2]);
    }

    @Override
    public Object exit(HookSite site, Object span, Object self, Object result, Throwable thrown) {
      LangChain4jSpans.endAiService((Span) span, result, thrown);
      return result;
    }
  }
}
