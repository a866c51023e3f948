package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import java.util.LinkedHashMap;
import java.util.Map;

/** TOOL spans: the tool call's id and arguments (parsed when they are JSON) and the tool's result text. */
final class ToolRenderer implements SpanRenderer {
  @Override
  public void renderStart(Span span) {
    Object request = ((Calls.Tool) span.request()).request;
    String arguments = Reflect.string(request, "arguments");
    String id = Reflect.string(request, "id");
    span.setAttribute("gen_ai.operation.name", "execute_tool");
    span.setAttribute("gen_ai.tool.name", Reflect.string(request, "name"));
    span.setAttribute("gen_ai.tool.call.id", id);
    Map<String, Object> inputs = new LinkedHashMap<String, Object>();
    inputs.put("arguments", parsed(arguments));
    span.setInputs(inputs);
  }

  @Override
  public void renderEnd(Span span) {
    Object result = span.response();
    if (result == null) {
      return;
    }
    Map<String, Object> outputs = new LinkedHashMap<String, Object>();
    outputs.put("result", resultText(result));
    span.setOutputs(outputs);
  }

  /** The text the model gets: a String (executors), a ToolExecutionResult (1.6+) or a ToolExecutionResultMessage (1.4, 1.5). */
  static String resultText(Object result) {
    if (result instanceof String) {
      return (String) result;
    }
    String text = Reflect.string(result, "resultText");
    if (text == null) {
      text = Reflect.string(result, "text");
    }
    return text != null ? text : String.valueOf(result);
  }

  private static Object parsed(String arguments) {
    if (arguments == null) {
      return null;
    }
    try {
      return Json.parse(arguments);
    } catch (Exception e) {
      return arguments;
    }
  }
}
