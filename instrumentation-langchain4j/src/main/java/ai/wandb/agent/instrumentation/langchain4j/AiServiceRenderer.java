package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.SpanStatus;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AGENT spans of AI-service calls: the method arguments (named by {@code @V}, {@code @MemoryId} or
 * the parameter name), the user message the service sent (read from its first model call), the
 * returned value, and the failures of its tools, which LangChain4j hands back to the model rather
 * than to the caller.
 */
final class AiServiceRenderer implements SpanRenderer {
  @Override
  public void renderStart(Span span) {
    Calls.AiService call = (Calls.AiService) span.request();
    Method method = call.method;
    span.setAttribute("gen_ai.operation.name", "invoke_agent");
    span.setAttribute("gen_ai.agent.name", method.getDeclaringClass().getSimpleName() + "." + method.getName());
    Map<String, Object> arguments = new LinkedHashMap<String, Object>();
    Object memoryId = null;
    Annotation[][] annotations = method.getParameterAnnotations();
    java.lang.reflect.Parameter[] parameters = method.getParameters();
    Object[] args = call.args == null ? new Object[0] : call.args;
    for (int i = 0; i < args.length && i < parameters.length; i++) {
      String name = parameters[i].getName();
      for (Annotation annotation : annotations[i]) {
        String type = annotation.annotationType().getName();
        if (type.equals("dev.langchain4j.service.MemoryId")) {
          memoryId = args[i];
          name = "memory_id";
        } else if (type.equals("dev.langchain4j.service.V")) {
          name = Reflect.string(annotation, "value");
        }
      }
      arguments.put(name, Renderers.value(args[i]));
    }
    Map<String, Object> inputs = new LinkedHashMap<String, Object>();
    inputs.put("arguments", arguments);
    span.setInputs(inputs);
    span.setAttribute("gen_ai.conversation.id", memoryId == null ? null : String.valueOf(memoryId));
  }

  @Override
  public void renderEnd(Span span) {
    Map<String, Object> inputs = span.inputs() instanceof Map ? copy(span.inputs()) : new LinkedHashMap<String, Object>();
    String userMessage = firstUserMessage(span);
    if (userMessage != null) {
      inputs.put("user_message", userMessage);
      span.setInputs(inputs);
    }
    List<Object> toolErrors = new ArrayList<Object>();
    for (Span child : span.children()) {
      if (child.kind() == ai.wandb.agent.api.SpanKind.TOOL && child.status() == SpanStatus.ERROR) {
        Map<String, Object> error = new LinkedHashMap<String, Object>();
        error.put("tool", child.name().substring(LangChain4jSpans.TOOL_PREFIX.length()));
        error.put("error", child.error() == null ? "not ended" : String.valueOf(child.error()));
        toolErrors.add(error);
      }
    }
    if (!toolErrors.isEmpty()) {
      span.setAttribute("langchain4j.tool_errors", toolErrors);
    }
    Map<String, Object> outputs = new LinkedHashMap<String, Object>();
    outputs.put("output", output(span.response()));
    span.setOutputs(outputs);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Object inputs) {
    return new LinkedHashMap<String, Object>((Map<String, Object>) inputs);
  }

  /** The last user message of the first model call under this span: what the service sent. */
  private static String firstUserMessage(Span span) {
    for (Span child : span.children()) {
      if (child.request() instanceof Calls.Chat) {
        Object messages = Reflect.call(((Calls.Chat) child.request()).request(), "messages");
        String text = null;
        if (messages instanceof List) {
          for (Object message : (List<?>) messages) {
            if ("USER".equals(Reflect.string(message, "type"))) {
              text = Messages.userText(message);
            }
          }
        }
        return text;
      }
    }
    return null;
  }

  /** The returned value: text for strings, a streamed ChatResponse or a {@code Result}, else its text. */
  private static Object output(Object response) {
    if (response == null) {
      return null;
    }
    String type = response.getClass().getName();
    if (type.startsWith("dev.langchain4j.model.chat.response.ChatResponse")) {
      return Reflect.string(Reflect.call(response, "aiMessage"), "text");
    }
    if (type.equals("dev.langchain4j.service.Result")) {
      return Renderers.value(Reflect.call(response, "content"));
    }
    if (type.equals("dev.langchain4j.data.message.AiMessage")) {
      return Reflect.string(response, "text");
    }
    return Renderers.value(response);
  }
}
