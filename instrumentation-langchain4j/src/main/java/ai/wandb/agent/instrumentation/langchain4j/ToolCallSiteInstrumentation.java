package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * {@code ToolService.executeWithErrorHandling(request, executor, ...)} (1.4+), where LangChain4j runs
 * every tool executor of an AI service and turns what it threw into the error text the model gets: the
 * tool span starts here, so executors whose own methods cannot be woven (lambdas before 1.6) are traced
 * too, and its status is what the model was handed.
 */
final class ToolCallSiteInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("dev.langchain4j.service.tool.ToolService");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(MethodMatcher.named("executeWithErrorHandling")
        .takesArgument(0, ToolExecutorInstrumentation.TOOL_EXECUTION_REQUEST)
        .takesArgument(1, "dev.langchain4j.service.tool.ToolExecutor"), new ExecuteWithErrorHandlingHook()));
  }

  static final class ExecuteWithErrorHandlingHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return LangChain4jSpans.startTool(arguments[0]);
    }

    @Override
    public Object exit(HookSite site, Object span, Object self, Object result, Throwable thrown) {
      LangChain4jSpans.endTool((Span) span, result, thrown);
      return result;
    }
  }
}
