package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * langchain4j-agentic 1.10.0-beta18 and later (the planner-based design; 1.3 to 1.9 are not hooked):
 * the places every agentic system passes through, whatever builds it (the builders, the declarative
 * annotations, a custom planner), and the two where it hands work to another thread.
 */
final class AgenticInstrumentation {
  private static final String INTERNAL = "dev.langchain4j.agentic.internal.";

  private AgenticInstrumentation() {}

  /**
   * {@code AgentInvoker.invoke(DefaultAgenticScope, Object agent, AgentInvocationArguments)}: the interface
   * default every invoker runs (its implementations call it through {@code super}), one call per sub-agent
   * invocation with the arguments already read from the scope.
   */
  static final class AgentInvoker implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named(INTERNAL + "AgentInvoker");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Collections.singletonList(new MethodAdvice(MethodMatcher.named("invoke").takesArguments(3)
          .takesArgument(0, "dev.langchain4j.agentic.scope.DefaultAgenticScope"), new InvokeHook()));
    }
  }

  static final class InvokeHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object invoker, Object[] arguments) {
      return AgenticSpans.startAgent(invoker, arguments[1], arguments[2]);
    }

    @Override
    public Object exit(HookSite site, Object span, Object invoker, Object result, Throwable thrown) {
      Tracer.end((Span) span, result, thrown);
      return result;
    }
  }

  /** {@code PlannerBasedInvocationHandler.PlannerLoop.loop()}: one run of a workflow, root or nested. */
  static final class PlannerLoop implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named(INTERNAL + "PlannerBasedInvocationHandler$PlannerLoop");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Collections.singletonList(new MethodAdvice(MethodMatcher.named("loop").takesArguments(0), new LoopHook())
          .readingFields("planner", "agenticScope", "this$0"));
    }
  }

  static final class LoopHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object loop, Object[] arguments) {
      return AgenticSpans.startWorkflow(loop, site.field(arguments, 0), site.field(arguments, 1),
          site.field(arguments, 2));
    }

    @Override
    public Object exit(HookSite site, Object span, Object loop, Object result, Throwable thrown) {
      AgenticSpans.endWorkflow((Span) span, loop, result, thrown);
      return result;
    }
  }

  /**
   * {@code AgentExecutor.execute(DefaultAgenticScope, plannerLoop)}: where a parallel workflow's branch
   * starts on its executor's thread, so the branch can be put under its workflow's span.
   */
  static final class AgentExecutor implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named(INTERNAL + "AgentExecutor");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Collections.singletonList(new MethodAdvice(MethodMatcher.named("execute").takesArguments(2)
          .takesArgument(0, "dev.langchain4j.agentic.scope.DefaultAgenticScope"), new BranchHook()));
    }
  }

  static final class BranchHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object executor, Object[] arguments) {
      return AgenticSpans.enterBranch(arguments[1]) ? Boolean.TRUE : null;
    }

    @Override
    public Object exit(HookSite site, Object attached, Object executor, Object result, Throwable thrown) {
      AgenticSpans.leaveBranch(attached != null);
      return result;
    }
  }

  /**
   * {@code new AsyncResponse(Supplier)}: an async agent's invocation handed to LangChain4j's default
   * executor, made to run under the span current here (its workflow's).
   */
  static final class AsyncResponse implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named(INTERNAL + "AsyncResponse");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Collections.singletonList(new MethodAdvice(MethodMatcher.constructors().takesArguments(1)
          .takesArgument(0, "java.util.function.Supplier"), new AsyncHook()).writingArguments(0));
    }
  }

  static final class AsyncHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object response, Object[] arguments) {
      arguments[0] = AgenticSpans.inCurrentSpan(arguments[0]);
      return null;
    }
  }
}
