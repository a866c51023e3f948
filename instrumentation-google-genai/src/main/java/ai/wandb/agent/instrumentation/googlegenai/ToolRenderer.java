package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** A function run's span: the model's arguments as inputs, what the function returned as output. */
final class ToolRenderer implements SpanRenderer {
  static final ToolRenderer INSTANCE = new ToolRenderer();

  /** The function's return value, boxed so that a {@code null} result still ends the span as a result. */
  static final class Result {
    final Object value;

    Result(Object value) {
      this.value = value;
    }
  }

  @Override
  public void renderStart(Span span) {
    ToolInstrumentation.ToolCall call = (ToolInstrumentation.ToolCall) span.request();
    span.setAttribute("gen_ai.operation.name", "execute_tool");
    span.setAttribute("gen_ai.tool.name", call.method.getName());
    span.setAttribute("gen_ai.tool.type", "function");
    span.setInputs(value(call.arguments));
  }

  @Override
  public void renderEnd(Span span) {
    if (span.response() instanceof Result) {
      Map<String, Object> out = new LinkedHashMap<String, Object>();
      out.put("result", value(((Result) span.response()).value));
      span.setOutputs(out);
    }
  }

  /** JSON values and collections as they are, the SDK's own objects as their JSON, anything else as text. */
  static Object value(Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
        || value instanceof Map || value instanceof Collection) {
      return value;
    }
    Object json = SdkJson.tree(value);
    return json != null ? json : String.valueOf(value);
  }
}
