package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code DefaultMcpClient.executeTool} of LangChain4j's MCP client: a synchronous call, so the span is
 * current while it runs and the {@code tools/call} message built inside it gets the span's
 * {@code traceparent}. An overload calling the other makes one span.
 */
final class LangChain4jMcpCall {
  static final SpanRenderer RENDERER = new Renderer();

  final Object client;
  final Object request;

  private LangChain4jMcpCall(Object client, Object request) {
    this.client = client;
    this.request = request;
  }

  static Span start(Object client, Object toolExecutionRequest) {
    Span current = Tracer.current();
    if (current != null && current.request() instanceof LangChain4jMcpCall
        && ((LangChain4jMcpCall) current.request()).request == toolExecutionRequest) {
      return null;
    }
    return Tracer.start(McpOperation.TOOL.spanName(toolExecutionRequest), McpOperation.TOOL.kind,
        new LangChain4jMcpCall(client, toolExecutionRequest), RENDERER);
  }

  /**
   * ERROR when the call threw (a protocol error, a failed transport, or, in newer versions, a tool that
   * reported an error) or returned a result marked as an error.
   */
  static void end(Span span, Object result, Throwable thrown) {
    if (span == null) {
      return;
    }
    Throwable error = thrown;
    if (error == null && Boolean.TRUE.equals(Reflect.call(result, "isError"))) {
      error = ToolError.saying(Reflect.string(result, "resultText"));
    }
    Tracer.end(span, result, error);
  }

  /** The message's params get {@code _meta.traceparent}: a map (1.6) or params with {@code get/setMeta}. */
  @SuppressWarnings("unchecked")
  static void requestBuilt(Object message) {
    Span current = Tracer.current();
    if (current == null || !(current.request() instanceof LangChain4jMcpCall)) {
      return;
    }
    Object params = Reflect.call(message, "getParams");
    if (params instanceof Map) {
      Map<String, Object> map = (Map<String, Object>) params;
      map.put("_meta", withTraceparent(map.get("_meta"), current));
    } else if (params != null) {
      try {
        Method setMeta = params.getClass().getMethod("setMeta", Map.class);
        setMeta.invoke(params, withTraceparent(Reflect.call(params, "getMeta"), current));
      } catch (Exception e) {
        // a version without _meta on its params: the request goes out as it was
      }
    }
  }

  private static Map<String, Object> withTraceparent(Object meta, Span span) {
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    if (meta instanceof Map) {
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) meta).entrySet()) {
        out.put(String.valueOf(entry.getKey()), entry.getValue());
      }
    }
    if (!out.containsKey(TraceContext.TRACEPARENT)) {
      out.put(TraceContext.TRACEPARENT, TraceContext.traceparent(span));
    }
    return out;
  }

  private static final class Renderer implements SpanRenderer {
    @Override
    public void renderStart(Span span) {
      Object request = ((LangChain4jMcpCall) span.request()).request;
      String name = Reflect.string(request, "name");
      span.setAttribute("mcp.method.name", McpOperation.TOOL.method);
      span.setAttribute("gen_ai.operation.name", "execute_tool");
      span.setAttribute("gen_ai.tool.name", name);
      span.setAttribute("gen_ai.tool.call.id", Reflect.string(request, "id"));
      Map<String, Object> inputs = new LinkedHashMap<String, Object>();
      inputs.put("name", name);
      String arguments = Reflect.string(request, "arguments");
      try {
        inputs.put("arguments", arguments == null ? null : Json.parse(arguments));
      } catch (Exception e) {
        inputs.put("arguments", arguments);
      }
      span.setInputs(inputs);
    }

    @Override
    public void renderEnd(Span span) {
      Object result = span.response();
      if (result == null) {
        return;
      }
      Map<String, Object> outputs = new LinkedHashMap<String, Object>();
      String text = result instanceof String ? (String) result : Reflect.string(result, "resultText");
      outputs.put("result", text != null ? text : String.valueOf(result));
      Object isError = Reflect.call(result, "isError");
      if (isError != null) {
        outputs.put("isError", isError);
      }
      span.setOutputs(outputs);
    }
  }
}
