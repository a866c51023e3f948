package ai.wandb.agent.instrumentation.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code DefaultToolExecutor}, which runs every {@code @Tool} method: the span covers
 * {@code execute(request, memoryId)} and (1.6+) {@code executeWithContext(request, context)}, whichever
 * the version calls, and the private {@code execute(Object[])} that invokes the tool method reports what
 * the tool threw, which LangChain4j turns into a result text for the model.
 */
final class ToolExecutorInstrumentation implements TypeInstrumentation {
  private static final String TOOL_EXECUTION_REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("dev.langchain4j.service.tool.DefaultToolExecutor");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Arrays.asList(
        new MethodAdvice(named("execute").or(named("executeWithContext")).and(takesArguments(2))
            .and(takesArgument(0, named(TOOL_EXECUTION_REQUEST))), ExecuteAdvice.class),
        new MethodAdvice(named("execute").and(isPrivate()).and(takesArguments(1))
            .and(takesArgument(0, Object[].class)), InvokeToolMethodAdvice.class));
  }

  public static final class ExecuteAdvice {
    private ExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object request) {
      return LangChain4jSpans.startTool(request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result, @Advice.Thrown Throwable thrown) {
      LangChain4jSpans.endTool(span, result, thrown);
    }
  }

  public static final class InvokeToolMethodAdvice {
    private InvokeToolMethodAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Thrown Throwable thrown) {
      LangChain4jSpans.toolMethodFailed(thrown);
    }
  }
}
