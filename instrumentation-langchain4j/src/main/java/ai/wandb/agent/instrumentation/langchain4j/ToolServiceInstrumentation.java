package ai.wandb.agent.instrumentation.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.named;

import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ToolService.executeToolsConcurrently([executor])} (1.4+): the executor it keeps is wrapped so
 * tools running on its threads keep the AI-service span as their parent. Versions without the method
 * are not matched; versions without the {@code executor} field fail this one hook, with a debug line.
 */
final class ToolServiceInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("dev.langchain4j.service.tool.ToolService");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(named("executeToolsConcurrently"), ConcurrentAdvice.class));
  }

  public static final class ConcurrentAdvice {
    private ConcurrentAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(
        @Advice.FieldValue(value = "executor", readOnly = false, typing = Assigner.Typing.DYNAMIC) Object executor) {
      executor = ContextExecutor.wrap(executor);
    }
  }
}
