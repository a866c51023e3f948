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
 * {@code DefaultToolExecutor}, which runs every {@code @Tool} method: the span covers
 * {@code execute(request, memoryId)} and (1.6+) {@code executeWithContext(request, context)}, whichever
 * the version calls, and the private {@code execute(Object[])} that invokes the tool method reports what
 * the tool threw, which LangChain4j turns into a result text for the model.
 */
final class ToolExecutorInstrumentation implements TypeInstrumentation {
  private static final String TOOL_EXECUTION_REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("dev.langchain4j.service.tool.DefaultToolExecutor");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Arrays.asList(
        new MethodAdvice(MethodMatcher.named("execute", "executeWithContext").takesArguments(2)
            .takesArgument(0, TOOL_EXECUTION_REQUEST), new ExecuteHook()),
        new MethodAdvice(MethodMatcher.named("execute").privateOnly().takesArguments(1)
            .takesArgument(0, "java.lang.Object[]"), new InvokeToolMethodHook()));
  }

  static final class ExecuteHook implements MethodHook {
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

  static final class InvokeToolMethodHook implements MethodHook {
    @Override
    public Object exit(HookSite site, Object state, Object self, Object result, Throwable thrown) {
      LangChain4jSpans.toolMethodFailed(thrown);
      return result;
    }
  }
}
