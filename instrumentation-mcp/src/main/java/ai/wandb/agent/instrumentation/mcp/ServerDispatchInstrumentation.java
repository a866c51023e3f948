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
 * The server's request handlers for {@code tools/call}, {@code resources/read} and {@code prompts/get}, which
 * {@code McpAsyncServer} (every stateful transport: stdio, SSE, streamable HTTP; sync servers run on it) and
 * {@code McpStatelessAsyncServer} register as lambdas: javac makes each a method
 * {@code lambda$toolsCallRequestHandler$<n>(exchange, Object params)} of the server class, where the params
 * are turned into the request and the application's handler is applied. One span per request, for sync
 * and async handlers alike (see {@link ServerCall}).
 */
final class ServerDispatchInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("io.modelcontextprotocol.server.McpAsyncServer",
        "io.modelcontextprotocol.server.McpStatelessAsyncServer");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Arrays.asList(
        advice("toolsCallRequestHandler", McpOperation.TOOL),
        advice("resourcesReadRequestHandler", McpOperation.RESOURCE),
        advice("promptsGetRequestHandler", McpOperation.PROMPT));
  }

  private static MethodAdvice advice(String handlerMethod, McpOperation operation) {
    // The (exchange, Object params) shape tells the handler itself from the other lambdas in that method.
    return new MethodAdvice(MethodMatcher.namedStartingWith("lambda$" + handlerMethod + "$").takesArguments(2)
        .takesArgument(1, "java.lang.Object"), new DispatchHook(operation));
  }

  static final class DispatchHook implements MethodHook {
    private final McpOperation operation;

    DispatchHook(McpOperation operation) {
      this.operation = operation;
    }

    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return ServerCall.dispatching(operation, arguments[0], arguments[1]);
    }

    @Override
    public Object exit(HookSite site, Object call, Object self, Object returned, Throwable thrown) {
      Object observed = call == null ? null : ((ServerCall) call).dispatched(returned, thrown);
      return observed != null ? observed : returned;
    }
  }
}
