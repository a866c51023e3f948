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
 * Where LangChain4j's AI services run a tool executor, so that executors whose own methods cannot be
 * woven (lambdas and method references before 1.6, where the interface's default method covers them)
 * make a span too, with the status the service handed on. A woven executor called there makes no second
 * span (see {@link LangChain4jSpans#startTool}): it only reports what it threw.
 *
 * <ul>
 *   <li>1.4+: {@code ToolService.executeWithErrorHandling(request, executor, ...)}, every executor of an AI
 *       service, which turns what the executor threw into the error text the model gets; the span covers
 *       that method.
 *   <li>1.0 to 1.3: the executor is called inline, {@code toolExecutor.execute(request, memoryId)}, in
 *       {@code ToolService.executeInferenceAndToolsLoop} (blocking services) and
 *       {@code AiServiceStreamingResponseHandler.onCompleteResponse} (streaming ones); the span covers each
 *       such call. What an executor throws there fails the service call itself.
 * </ul>
 */
final class ToolCallSiteInstrumentation implements TypeInstrumentation {
  private static final String TOOL_EXECUTOR = "dev.langchain4j.service.tool.ToolExecutor";

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("dev.langchain4j.service.tool.ToolService",
        "dev.langchain4j.service.AiServiceStreamingResponseHandler");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    ToolCallHook hook = new ToolCallHook();
    return Arrays.asList(
        new MethodAdvice(MethodMatcher.named("executeWithErrorHandling")
            .takesArgument(0, ToolExecutorInstrumentation.TOOL_EXECUTION_REQUEST)
            .takesArgument(1, TOOL_EXECUTOR), hook),
        MethodAdvice.aroundCalls(MethodMatcher.named("executeInferenceAndToolsLoop", "onCompleteResponse"),
            TOOL_EXECUTOR, "execute", "(Ldev/langchain4j/agent/tool/ToolExecutionRequest;Ljava/lang/Object;)"
                + "Ljava/lang/String;", hook));
  }

  /** Both shapes hand the tool execution request first: the method's arguments, or the call's. */
  static final class ToolCallHook implements MethodHook {
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
