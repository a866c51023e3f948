package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * The MCP Java SDK ({@code io.modelcontextprotocol.sdk:mcp} 1.0 to 2.x): the client's tool calls, resource
 * reads and prompt gets, the server's handlers, and the W3C trace context between them in the request's
 * {@code _meta}.
 */
public final class McpInstrumentationModule implements InstrumentationModule {
  static final String SCHEMA = "io.modelcontextprotocol.spec.McpSchema$";

  @Override
  public String name() {
    return "mcp";
  }

  @Override
  public List<String> classLoaderMarkers() {
    // McpJsonDefaults (the SDK's own JSON mapper, which renders spans) is there from 1.0 on.
    return Arrays.asList("io.modelcontextprotocol.spec.McpSchema", "io.modelcontextprotocol.json.McpJsonDefaults");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.<TypeInstrumentation>asList(
        new ClientInstrumentation(),
        DeferredCalls.subscribe(),
        new ClientSessionInstrumentation(),
        new ServerDispatchInstrumentation(),
        new ServerHandlerInstrumentation());
  }
}
