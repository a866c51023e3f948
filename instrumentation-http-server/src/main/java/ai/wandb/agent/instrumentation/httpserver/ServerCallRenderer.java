package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A request's span: method, path, route and status in the OpenTelemetry HTTP server conventions. */
final class ServerCallRenderer implements SpanRenderer {
  static final ServerCallRenderer INSTANCE = new ServerCallRenderer();

  @Override
  public void renderStart(Span span) {
    ServerCall call = (ServerCall) span.request();
    span.setAttribute("http.request.method", call.method);
    span.setAttribute("url.path", call.path);
    if (call.traceparent != null) {
      span.setAttribute("http.request.header.traceparent", Collections.singletonList(call.traceparent));
    }
    Map<String, Object> inputs = new LinkedHashMap<String, Object>();
    inputs.put("method", call.method);
    inputs.put("path", call.path);
    span.setInputs(inputs);
  }

  @Override
  public void renderEnd(Span span) {
    ServerCall call = (ServerCall) span.request();
    span.setAttribute("http.route", call.route);
    if (call.status > 0) {
      span.setAttribute("http.response.status_code", call.status);
      span.setOutputs(Collections.singletonMap("status_code", call.status));
    }
  }
}
