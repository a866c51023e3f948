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
 * annotations, a custom planner). Work it hands to other threads (parallel branches, async agents) keeps
 * its parent through the executors module.
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
      // The scope is declared as a DefaultAgenticScope from 1.10.0-beta18, as an AgenticScope in 1.9.
      return Collections.singletonList(new MethodAdvice(MethodMatcher.named("invoke").takesArguments(3)
          .takesArgument(2, "dev.langchain4j.agentic.internal.AgentInvocationArguments"), new InvokeHook()));
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
      return AgenticSpans.startWorkflow(site.field(arguments, 0), site.field(arguments, 1),
          site.field(arguments, 2));
    }

    @Override
    public Object exit(HookSite site, Object span, Object loop, Object result, Throwable thrown) {
      AgenticSpans.endWorkflow((Span) span, result, thrown);
      return result;
    }
  }
}
