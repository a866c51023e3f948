package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.List;

/**
 * {@code McpAsyncClient.callTool}, {@code readResource(ReadResourceRequest)} (what the {@code Resource}
 * overload calls) and {@code getPrompt}: the returned {@code Mono} is followed from subscription to its
 * end (see {@link ClientCall}), from inside its own {@code subscribe} where it is the SDK's
 * {@code MonoDeferContextual} (see {@link DeferredCalls}), so that the app holds the SDK's very Mono; any
 * other Mono is handed out with the observing operators around it. {@code McpSyncClient} blocks on these
 * very Monos, so one hook serves both.
 */
final class ClientInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("io.modelcontextprotocol.client.McpAsyncClient");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Arrays.asList(
        advice("callTool", "CallToolRequest", McpOperation.TOOL),
        advice("readResource", "ReadResourceRequest", McpOperation.RESOURCE),
        advice("getPrompt", "GetPromptRequest", McpOperation.PROMPT));
  }

  private static MethodAdvice advice(String method, String requestType, McpOperation operation) {
    return new MethodAdvice(MethodMatcher.named(method).takesArguments(1)
        .takesArgument(0, McpInstrumentationModule.SCHEMA + requestType), new CallHook(operation));
  }

  static final class CallHook implements MethodHook {
    private final McpOperation operation;

    CallHook(McpOperation operation) {
      this.operation = operation;
    }

    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return arguments[0];
    }

    @Override
    public Object exit(HookSite site, Object request, Object self, Object returned, Throwable thrown) {
      try {
        if (thrown != null) {
          return returned;
        }
        ClientCall call = new ClientCall(self, operation, request);
        Object observed = DeferredCalls.follow(returned, call) ? null : Monos.observed(returned, call);
        return observed != null ? observed : returned;
      } catch (Exception e) {
        return returned;
      }
    }
  }
}
