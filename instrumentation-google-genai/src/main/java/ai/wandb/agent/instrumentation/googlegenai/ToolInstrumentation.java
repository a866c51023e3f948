package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;

/**
 * The app's function run by automatic function calling: {@code AfcUtil.getFunctionResponse(Method, args
 * map, ...)} (an {@code ImmutableMap} in 1.x, a {@code Map} in 2.x) invokes it with the arguments the model chose, once per function call, between two model
 * round trips. Each run is a {@code TOOL} span.
 */
final class ToolInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("com.google.genai.AfcUtil");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(MethodMatcher.named("getFunctionResponse")
        .takesArgument(0, "java.lang.reflect.Method"), new Hook()));
  }

  /** A function run: which method, with the arguments the model sent. */
  static final class ToolCall {
    final Method method;
    final Object arguments;

    ToolCall(Method method, Object arguments) {
      this.method = method;
      this.arguments = arguments;
    }
  }

  static final class Hook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      Method method = (Method) arguments[0];
      return Tracer.start("google_genai.tool." + method.getName(), SpanKind.TOOL, new ToolCall(method, arguments[1]),
          ToolRenderer.INSTANCE);
    }

    @Override
    public Object exit(HookSite site, Object span, Object self, Object returned, Throwable thrown) {
      // The function's own exception, not the reflection wrapper it reaches the SDK in.
      Throwable error = thrown instanceof InvocationTargetException && thrown.getCause() != null
          ? thrown.getCause() : thrown;
      Tracer.end((Span) span, thrown == null ? new ToolRenderer.Result(returned) : null, error);
      return returned;
    }
  }
}
