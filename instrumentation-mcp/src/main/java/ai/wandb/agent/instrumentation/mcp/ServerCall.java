package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;

/**
 * One handler run on the server: {@code exchange} is the session's exchange (stateful servers) or the
 * transport context (stateless ones). A request whose {@code _meta} carries a {@code traceparent}
 * continues the client's trace (see {@link Tracer#startContinuing}).
 */
final class ServerCall {
  final McpOperation operation;
  final Object exchange;
  final Object request;

  private ServerCall(McpOperation operation, Object exchange, Object request) {
    this.operation = operation;
    this.exchange = exchange;
    this.request = request;
  }

  static Span start(McpOperation operation, Object exchange, Object request) {
    return Tracer.startContinuing(operation.spanName(request), operation.kind,
        new ServerCall(operation, exchange, request), McpRenderer.SERVER, TraceContext.received(request));
  }

  static void end(Span span, Object result, Throwable thrown) {
    if (span != null) {
      Tracer.end(span, result, thrown != null ? thrown : ToolError.of(result));
    }
  }
}
