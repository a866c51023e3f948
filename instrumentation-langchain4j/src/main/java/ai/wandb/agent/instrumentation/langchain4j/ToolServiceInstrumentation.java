package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * {@code ToolService.executeToolsConcurrently([executor])} (1.4+): the executor it keeps is wrapped so
 * tools running on its threads keep the AI-service span as their parent. Versions without the method
 * are not matched; versions without the {@code executor} field fail this one hook, with a debug line.
 */
final class ToolServiceInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("dev.langchain4j.service.tool.ToolService");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(MethodMatcher.named("executeToolsConcurrently"), new ConcurrentHook()));
  }

  static final class ConcurrentHook implements MethodHook {
    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      if (thrown == null) {
        try {
          ContextExecutor.wrapField(self);
        } catch (ReflectiveOperationException e) {
          AgentLog.debug("concurrent tools of " + self.getClass().getName()
              + " will not nest under their AI service span: " + e);
        }
      }
      return returned;
    }
  }
}
