package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * {@code McpClientSession.sendRequest(method, params, type)}, where every client request becomes a JSON-RPC
 * message: a traced tool call's params go out with the span's {@code traceparent} (see {@link TraceContext}).
 */
final class ClientSessionInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("io.modelcontextprotocol.spec.McpClientSession");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(MethodMatcher.named("sendRequest").takesArguments(3)
        .takesArgument(0, "java.lang.String").takesArgument(1, "java.lang.Object"), new SendRequestHook())
        .writingArguments(1));
  }

  static final class SendRequestHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      arguments[1] = TraceContext.withTraceparent(arguments[1]);
      return null;
    }
  }
}
