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
 * Every {@code ToolExecutor}: {@code DefaultToolExecutor} (which runs the {@code @Tool} methods), MCP's
 * and other modules' executors, and the application's own classes, in any package; the interface's
 * default {@code executeWithContext} (1.6+) covers lambdas. The span covers {@code execute(request,
 * memoryId)} or {@code executeWithContext(request, context)}, whichever the version calls; under the
 * span {@link ToolCallSiteInstrumentation} started the executor only reports what it threw.
 * {@code DefaultToolExecutor}'s private {@code execute(Object[])} invokes the tool method and reports
 * what the tool threw, which LangChain4j turns into a result text for the model.
 */
final class ToolExecutorInstrumentation implements TypeInstrumentation {
  static final String TOOL_EXECUTION_REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.implementationsOf("dev.langchain4j.service.tool.ToolExecutor",
        LangChain4jInstrumentationModule.LIBRARY);
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
      if (span == null) {
        LangChain4jSpans.toolExecutorThrew(thrown);
      } else {
        LangChain4jSpans.endTool((Span) span, result, thrown);
      }
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
