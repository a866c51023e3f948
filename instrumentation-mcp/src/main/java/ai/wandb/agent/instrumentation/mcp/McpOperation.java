package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.SpanKind;
import java.util.Map;

/** The MCP requests that become spans, on both sides: what they are called and what names their target. */
enum McpOperation {
  TOOL("tools/call", SpanKind.TOOL, "name"),
  RESOURCE("resources/read", SpanKind.CHAIN, "uri"),
  PROMPT("prompts/get", SpanKind.CHAIN, "name");

  final String method;
  final SpanKind kind;
  /** The request's accessor for what the span name ends with: the tool, the resource's URI, the prompt. */
  final String target;

  McpOperation(String method, SpanKind kind, String target) {
    this.method = method;
    this.kind = kind;
    this.target = target;
  }

  /** {@code mcp.tools/call add}: DESIGN §4's name, the method and what it addresses. */
  String spanName(Object request) {
    String name = target(request);
    return name == null ? "mcp." + method : "mcp." + method + " " + name;
  }

  /** The tool's or prompt's name or the resource's URI, of an SDK request or of the params as received (a map). */
  String target(Object request) {
    Object value = request instanceof Map ? ((Map<?, ?>) request).get(target) : Reflect.call(request, target);
    return value == null ? null : value.toString();
  }

  /** The request's arguments (none for resources), of an SDK request or of received params. */
  static Object arguments(Object request) {
    return request instanceof Map ? ((Map<?, ?>) request).get("arguments") : Reflect.call(request, "arguments");
  }
}
