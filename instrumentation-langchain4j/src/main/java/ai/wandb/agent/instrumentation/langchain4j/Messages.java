package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** LangChain4j chat messages, tool specifications and usage as OpenAI-shaped JSON trees. */
final class Messages {
  private Messages() {}

  static List<Object> messages(Object messages) {
    List<Object> out = new ArrayList<Object>();
    if (messages instanceof Iterable) {
      for (Object message : (Iterable<?>) messages) {
        out.add(message(message));
      }
    }
    return out;
  }

  /** {@code {role, content, tool_calls?, tool_call_id?, name?}} from a ChatMessage of any type. */
  static Map<String, Object> message(Object message) {
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    String type = Reflect.string(message, "type");
    if ("SYSTEM".equals(type)) {
      out.put("role", "system");
      out.put("content", Reflect.string(message, "text"));
    } else if ("USER".equals(type)) {
      out.put("role", "user");
      out.put("content", userText(message));
      putIfPresent(out, "name", Reflect.string(message, "name"));
    } else if ("AI".equals(type)) {
      return assistant(message);
    } else if ("TOOL_EXECUTION_RESULT".equals(type)) {
      out.put("role", "tool");
      out.put("tool_call_id", Reflect.string(message, "id"));
      out.put("name", Reflect.string(message, "toolName"));
      out.put("content", Reflect.string(message, "text"));
    } else {
      out.put("role", type == null ? "unknown" : type.toLowerCase(Locale.ROOT));
      out.put("content", String.valueOf(message));
    }
    return out;
  }

  /** An AiMessage: text, and the tool calls the model asked for, in OpenAI's {@code tool_calls} shape. */
  static Map<String, Object> assistant(Object aiMessage) {
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    out.put("role", "assistant");
    out.put("content", Reflect.string(aiMessage, "text"));
    putIfPresent(out, "reasoning", Reflect.string(aiMessage, "thinking"));
    Object requests = Reflect.call(aiMessage, "toolExecutionRequests");
    if (requests instanceof List && !((List<?>) requests).isEmpty()) {
      List<Object> calls = new ArrayList<Object>();
      for (Object request : (List<?>) requests) {
        calls.add(toolCall(request));
      }
      out.put("tool_calls", calls);
    }
    return out;
  }

  static Map<String, Object> toolCall(Object request) {
    Map<String, Object> function = new LinkedHashMap<String, Object>();
    function.put("name", Reflect.string(request, "name"));
    function.put("arguments", Reflect.string(request, "arguments"));
    Map<String, Object> call = new LinkedHashMap<String, Object>();
    call.put("id", Reflect.string(request, "id"));
    call.put("type", "function");
    call.put("function", function);
    return call;
  }

  static String userText(Object userMessage) {
    if (Boolean.TRUE.equals(Reflect.call(userMessage, "hasSingleText"))) {
      return Reflect.string(userMessage, "singleText");
    }
    Object contents = Reflect.call(userMessage, "contents");
    if (!(contents instanceof List)) {
      return Reflect.string(userMessage, "text");
    }
    StringBuilder text = new StringBuilder();
    for (Object content : (List<?>) contents) {
      String part = Reflect.string(content, "text");
      text.append(part != null ? part : "[" + Reflect.string(content, "type") + "]");
    }
    return text.toString();
  }

  /**
   * {@code {type: function, function: {name, description, parameters}}} per ToolSpecification, the way
   * LangChain4j's OpenAI mapping sends it: a tool without arguments gets an empty object schema; a strict
   * tool (the model's {@code strictTools}, unless the specification says otherwise) {@code "strict": true}
   * and the schema closed under strictness.
   */
  static List<Object> tools(Object specifications, boolean strictTools) {
    if (!(specifications instanceof List) || ((List<?>) specifications).isEmpty()) {
      return null;
    }
    List<Object> out = new ArrayList<Object>();
    for (Object specification : (List<?>) specifications) {
      Map<String, Object> function = new LinkedHashMap<String, Object>();
      function.put("name", Reflect.string(specification, "name"));
      putIfPresent(function, "description", Reflect.string(specification, "description"));
      Object parameters = Reflect.call(specification, "parameters");
      Object ownStrict = Reflect.call(specification, "strict");
      boolean strict = ownStrict instanceof Boolean ? (Boolean) ownStrict : strictTools;
      if (strict) {
        function.put("strict", Boolean.TRUE);
        function.put("parameters", parameters != null ? JsonSchemas.asSent(parameters, true) : emptyObject(true));
      } else {
        function.put("parameters", parameters != null ? JsonSchemas.toJson(parameters) : emptyObject(false));
      }
      Map<String, Object> tool = new LinkedHashMap<String, Object>();
      tool.put("type", "function");
      tool.put("function", function);
      out.add(tool);
    }
    return out;
  }

  private static Map<String, Object> emptyObject(boolean strict) {
    Map<String, Object> schema = new LinkedHashMap<String, Object>();
    schema.put("type", "object");
    schema.put("properties", new LinkedHashMap<String, Object>());
    schema.put("required", new ArrayList<Object>());
    if (strict) {
      schema.put("additionalProperties", Boolean.FALSE);
    }
    return schema;
  }

  static ai.wandb.agent.api.Usage usage(Object tokenUsage) {
    if (tokenUsage == null) {
      return null;
    }
    Long input = number(Reflect.call(tokenUsage, "inputTokenCount"));
    Long output = number(Reflect.call(tokenUsage, "outputTokenCount"));
    Long total = number(Reflect.call(tokenUsage, "totalTokenCount"));
    // OpenAiTokenUsage and its official-SDK sibling carry the details.
    Long cached = number(Reflect.call(Reflect.call(tokenUsage, "inputTokensDetails"), "cachedTokens"));
    Long reasoning = number(Reflect.call(Reflect.call(tokenUsage, "outputTokensDetails"), "reasoningTokens"));
    if (input == null && output == null && total == null) {
      return null;
    }
    return new ai.wandb.agent.api.Usage(input, output, total, cached, reasoning);
  }

  static Long number(Object value) {
    return value instanceof Number ? Long.valueOf(((Number) value).longValue()) : null;
  }

  static void putIfPresent(Map<String, Object> out, String key, Object value) {
    if (value != null) {
      out.put(key, value);
    }
  }
}
