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
 * Where the SDK runs a server's synchronous tool, resource and prompt handlers (the application's lambdas,
 * which no transformer sees): the adapter each {@code Async…Specification.fromSync} builds calls
 * {@code handler.apply(exchange, request)} in its own method {@code lambda$fromSync$0(spec, exchange,
 * request)} (1.0 to 2.1, stateful and stateless servers alike), on the thread that runs the handler. The
 * span of the call ({@link ServerDispatchInstrumentation}) is current there, so what the handler calls
 * nests under it.
 */
final class ServerHandlerInstrumentation implements TypeInstrumentation {
  private static final String SERVER = "io.modelcontextprotocol.server.";

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named(
        SERVER + "McpServerFeatures$AsyncToolSpecification",
        SERVER + "McpServerFeatures$AsyncResourceSpecification",
        SERVER + "McpServerFeatures$AsyncResourceTemplateSpecification",
        SERVER + "McpServerFeatures$AsyncPromptSpecification",
        SERVER + "McpStatelessServerFeatures$AsyncToolSpecification",
        SERVER + "McpStatelessServerFeatures$AsyncResourceSpecification",
        SERVER + "McpStatelessServerFeatures$AsyncResourceTemplateSpecification",
        SERVER + "McpStatelessServerFeatures$AsyncPromptSpecification");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Arrays.asList(
        advice("CallToolRequest", McpOperation.TOOL),
        advice("ReadResourceRequest", McpOperation.RESOURCE),
        advice("GetPromptRequest", McpOperation.PROMPT));
  }

  private static MethodAdvice advice(String requestType, McpOperation operation) {
    return new MethodAdvice(MethodMatcher.named("lambda$fromSync$0").takesArguments(3)
        .takesArgument(2, McpInstrumentationModule.SCHEMA + requestType), new HandlerHook(operation));
  }

  static final class HandlerHook implements MethodHook {
    private final McpOperation operation;

    HandlerHook(McpOperation operation) {
      this.operation = operation;
    }

    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return ServerCall.running(operation, arguments[1], arguments[2]);
    }

    @Override
    public Object exit(HookSite site, Object state, Object self, Object result, Throwable thrown) {
      ServerCall.ran(state, result, thrown);
      return result;
    }
  }
}
