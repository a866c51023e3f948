package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * LangChain4j's own MCP client ({@code dev.langchain4j:langchain4j-mcp}, which does not run on the MCP SDK):
 * {@code DefaultMcpClient.executeTool} as the same {@code mcp.tools/call <tool>} span as the SDK's client,
 * under the {@code langchain4j.tool.<name>} span of the AI service's tool execution, with the model's tool
 * call id, and the {@code traceparent} in the request's {@code _meta}.
 */
public final class LangChain4jMcpInstrumentationModule implements InstrumentationModule {
  private static final String TOOL_EXECUTION_REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";

  @Override
  public String name() {
    return "langchain4j-mcp";
  }

  @Override
  public List<String> classLoaderMarkers() {
    return Collections.singletonList("dev.langchain4j.mcp.client.DefaultMcpClient");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.<TypeInstrumentation>asList(new ClientInstrumentation(), new RequestInstrumentation());
  }

  /** {@code executeTool(request)} and, from 1.8 or so, {@code executeTool(request, invocationContext)}. */
  static final class ClientInstrumentation implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named("dev.langchain4j.mcp.client.DefaultMcpClient");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Collections.singletonList(new MethodAdvice(
          MethodMatcher.named("executeTool").takesArgument(0, TOOL_EXECUTION_REQUEST), new ExecuteToolHook()));
    }
  }

  /** The tools/call message, built inside {@code executeTool} on its thread (its package moved in 1.x). */
  static final class RequestInstrumentation implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named("dev.langchain4j.mcp.client.protocol.McpCallToolRequest",
          "dev.langchain4j.mcp.protocol.McpCallToolRequest");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Collections.singletonList(new MethodAdvice(MethodMatcher.constructors(), new RequestBuiltHook()));
    }
  }

  static final class ExecuteToolHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return LangChain4jMcpCall.start(self, arguments[0]);
    }

    @Override
    public Object exit(HookSite site, Object span, Object self, Object result, Throwable thrown) {
      LangChain4jMcpCall.end((Span) span, result, thrown);
      return result;
    }
  }

  static final class RequestBuiltHook implements MethodHook {
    @Override
    public Object exit(HookSite site, Object state, Object self, Object result, Throwable thrown) {
      if (thrown == null) {
        LangChain4jMcpCall.requestBuilt(self);
      }
      return result;
    }
  }
}
