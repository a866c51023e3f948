package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;

/**
 * Both sides' spans: the request and the result as their wire JSON, and the attributes of OpenTelemetry's
 * MCP conventions ({@code mcp.method.name}, {@code mcp.session.id}, {@code mcp.protocol.version},
 * {@code gen_ai.tool.name}, ...). Exporter thread only.
 */
final class McpRenderer implements SpanRenderer {
  private static final Reflect.PrivateField TRANSPORT = new Reflect.PrivateField("transport");
  private static final Reflect.PrivateField ACTIVE_SESSION = new Reflect.PrivateField("activeSession");
  static final McpRenderer CLIENT = new McpRenderer(true);
  static final McpRenderer SERVER = new McpRenderer(false);

  private final boolean client;

  private McpRenderer(boolean client) {
    this.client = client;
  }

  @Override
  public void renderStart(Span span) {
    McpOperation operation;
    Object request;
    if (client) {
      ClientCall call = (ClientCall) span.request();
      operation = call.operation;
      request = call.request;
      toolCallId(span);
    } else {
      ServerCall call = (ServerCall) span.request();
      operation = call.operation;
      request = call.request;
      span.setAttribute("mcp.session.id", Reflect.string(call.exchange, "sessionId"));
      Object clientInfo = Reflect.call(call.exchange, "getClientInfo");
      span.setAttribute("mcp.client.name", Reflect.string(clientInfo, "name"));
      span.setAttribute("mcp.client.version", Reflect.string(clientInfo, "version"));
    }
    span.setAttribute("mcp.method.name", operation.method);
    String target = operation.target(request);
    if (operation == McpOperation.TOOL) {
      span.setAttribute("gen_ai.operation.name", "execute_tool");
      span.setAttribute("gen_ai.tool.name", target);
    } else if (operation == McpOperation.RESOURCE) {
      span.setAttribute("mcp.resource.uri", target);
    } else {
      span.setAttribute("gen_ai.prompt.name", target);
    }
    span.setInputs(McpJson.tree(request));
  }

  @Override
  public void renderEnd(Span span) {
    if (client) {
      ClientCall call = (ClientCall) span.request();
      Object initialization = Reflect.call(call.client, "getCurrentInitializationResult");
      span.setAttribute("mcp.protocol.version", Reflect.string(initialization, "protocolVersion"));
      Object serverInfo = Reflect.call(initialization, "serverInfo");
      span.setAttribute("mcp.server.name", Reflect.string(serverInfo, "name"));
      span.setAttribute("mcp.server.version", Reflect.string(serverInfo, "version"));
      span.setAttribute("mcp.session.id", sessionId(call.client));
    }
    if (span.response() != null) {
      span.setOutputs(McpJson.tree(span.response()));
    }
  }

  /**
   * The id of the model's tool call this MCP call serves: the enclosing tool span's (LangChain4j's, when an
   * AI service runs an MCP tool), whose attributes are rendered first.
   */
  private static void toolCallId(Span span) {
    Span parent = span.parent();
    if (parent != null && parent.kind() == SpanKind.TOOL) {
      parent.renderStart();
      span.setAttribute("gen_ai.tool.call.id", parent.attributes().get("gen_ai.tool.call.id"));
    }
  }

  /**
   * The {@code Mcp-Session-Id} the server gave a streamable HTTP client (the client's transport keeps it in
   * its active session); stdio and SSE have none.
   */
  private static String sessionId(Object client) {
    Object session = ACTIVE_SESSION.read(TRANSPORT.read(client));
    if (session instanceof java.util.concurrent.atomic.AtomicReference) {
      session = ((java.util.concurrent.atomic.AtomicReference<?>) session).get();
    }
    Object id = Reflect.call(session, "sessionId");
    if (id instanceof java.util.Optional) {
      return (String) ((java.util.Optional<?>) id).orElse(null);
    }
    return id == null ? null : id.toString();
  }
}
