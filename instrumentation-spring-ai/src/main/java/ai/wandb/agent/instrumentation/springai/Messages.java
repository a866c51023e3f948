package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Spring AI's prompts, messages, options and responses in OpenAI's shapes (the shape every span uses). */
final class Messages {
  private Messages() {}

  /** A Prompt as an OpenAI-shaped request body: model, messages, the options' parameters and tools. */
  static Map<String, Object> request(Object prompt, Object fallbackOptions) {
    Map<String, Object> body = new LinkedHashMap<String, Object>();
    Object options = Reflect.call(prompt, "getOptions");
    putIfPresent(body, "model", option(options, fallbackOptions, "getModel"));
    body.put("messages", messages(Reflect.call(prompt, "getInstructions")));
    putIfPresent(body, "temperature", option(options, fallbackOptions, "getTemperature"));
    putIfPresent(body, "top_p", option(options, fallbackOptions, "getTopP"));
    putIfPresent(body, "top_k", option(options, fallbackOptions, "getTopK"));
    putIfPresent(body, "max_tokens", option(options, fallbackOptions, "getMaxTokens"));
    putIfPresent(body, "max_completion_tokens", option(options, fallbackOptions, "getMaxCompletionTokens"));
    putIfPresent(body, "frequency_penalty", option(options, fallbackOptions, "getFrequencyPenalty"));
    putIfPresent(body, "presence_penalty", option(options, fallbackOptions, "getPresencePenalty"));
    putIfPresent(body, "stop", option(options, fallbackOptions, "getStopSequences"));
    putIfPresent(body, "seed", option(options, fallbackOptions, "getSeed"));
    Object callbacks = option(options, fallbackOptions, "getToolCallbacks");
    List<Object> tools = tools(callbacks);
    if (!tools.isEmpty()) {
      body.put("tools", tools);
    }
    Object toolNames = option(options, fallbackOptions, "getToolNames");
    if (toolNames instanceof java.util.Collection && !((java.util.Collection<?>) toolNames).isEmpty()) {
      body.put("tool_names", new ArrayList<Object>((java.util.Collection<?>) toolNames));
    }
    return body;
  }

  private static Object option(Object options, Object fallback, String getter) {
    Object value = Reflect.call(options, getter);
    if (value == null || isEmptyCollection(value)) {
      Object other = Reflect.call(fallback, getter);
      if (other != null) {
        return other;
      }
    }
    return value;
  }

  private static boolean isEmptyCollection(Object value) {
    return value instanceof java.util.Collection && ((java.util.Collection<?>) value).isEmpty();
  }

  static List<Object> messages(Object messages) {
    List<Object> out = new ArrayList<Object>();
    if (messages instanceof Iterable) {
      for (Object message : (Iterable<?>) messages) {
        out.addAll(message(message));
      }
    }
    return out;
  }

  /** One message; a tool-response message is one OpenAI {@code tool} message per response. */
  static List<Map<String, Object>> message(Object message) {
    String type = String.valueOf(Reflect.call(message, "getMessageType")).toLowerCase(Locale.ROOT);
    if ("tool".equals(type)) {
      List<Map<String, Object>> out = new ArrayList<Map<String, Object>>();
      Object responses = Reflect.call(message, "getResponses");
      if (responses instanceof Iterable) {
        for (Object response : (Iterable<?>) responses) {
          Map<String, Object> tool = new LinkedHashMap<String, Object>();
          tool.put("role", "tool");
          putIfPresent(tool, "tool_call_id", Reflect.string(response, "id"));
          putIfPresent(tool, "name", Reflect.string(response, "name"));
          tool.put("content", Reflect.string(response, "responseData"));
          out.add(tool);
        }
      }
      return out;
    }
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    out.put("role", type);
    out.put("content", Reflect.string(message, "getText"));
    if ("assistant".equals(type)) {
      List<Object> calls = toolCalls(Reflect.call(message, "getToolCalls"));
      if (!calls.isEmpty()) {
        out.put("tool_calls", calls);
      }
    }
    return Collections.singletonList(out);
  }

  static List<Object> toolCalls(Object toolCalls) {
    List<Object> out = new ArrayList<Object>();
    if (toolCalls instanceof Iterable) {
      for (Object call : (Iterable<?>) toolCalls) {
        Map<String, Object> function = new LinkedHashMap<String, Object>();
        function.put("name", Reflect.string(call, "name"));
        function.put("arguments", Reflect.string(call, "arguments"));
        Map<String, Object> entry = new LinkedHashMap<String, Object>();
        putIfPresent(entry, "id", Reflect.string(call, "id"));
        entry.put("type", "function");
        entry.put("function", function);
        out.add(entry);
      }
    }
    return out;
  }

  /** Tool callbacks as OpenAI function tools: name, description and the JSON schema of the input. */
  static List<Object> tools(Object callbacks) {
    List<Object> definitions = new ArrayList<Object>();
    if (callbacks instanceof Iterable) {
      for (Object callback : (Iterable<?>) callbacks) {
        definitions.add(Reflect.call(callback, "getToolDefinition"));
      }
    }
    return toolDefinitions(definitions);
  }

  /**
   * The tools a 1.x request names ({@code toolNames}, resolved through the app's ToolCallbackResolver, e.g. a
   * Spring bean) as the model sent them: the definitions the model's ToolCallingManager resolved for this
   * round trip (its callbacks first, then the named ones), taken when it resolved them.
   */
  static void putSentTools(Map<String, Object> body, Object definitions) {
    if (body.containsKey("tool_names") && definitions instanceof List) {
      List<Object> tools = toolDefinitions((List<?>) definitions);
      if (!tools.isEmpty()) {
        body.put("tools", tools);
      }
    }
  }

  private static List<Object> toolDefinitions(List<?> definitions) {
    List<Object> out = new ArrayList<Object>();
    for (Object definition : definitions) {
      Map<String, Object> function = new LinkedHashMap<String, Object>();
      function.put("name", Reflect.string(definition, "name"));
      putIfPresent(function, "description", Reflect.string(definition, "description"));
      putIfPresent(function, "parameters", parsed(Reflect.string(definition, "inputSchema")));
      Map<String, Object> tool = new LinkedHashMap<String, Object>();
      tool.put("type", "function");
      tool.put("function", function);
      out.add(tool);
    }
    return out;
  }

  /** JSON text as a tree, or the text itself when it is not JSON. */
  static Object parsed(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Json.parse(text);
    } catch (Exception e) {
      return text;
    }
  }

  /** A ChatResponse as an OpenAI chat completion: id, model, one choice per generation, usage. */
  static Map<String, Object> completion(Object response, Usage usage) {
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    Object metadata = Reflect.call(response, "getMetadata");
    putIfPresent(out, "id", emptyToNull(Reflect.string(metadata, "getId")));
    putIfPresent(out, "model", emptyToNull(Reflect.string(metadata, "getModel")));
    List<Object> choices = new ArrayList<Object>();
    Object results = Reflect.call(response, "getResults");
    if (results instanceof Iterable) {
      int index = 0;
      for (Object generation : (Iterable<?>) results) {
        Map<String, Object> choice = new LinkedHashMap<String, Object>();
        choice.put("index", index++);
        choice.put("message", message(Reflect.call(generation, "getOutput")).get(0));
        choice.put("finish_reason", finishReason(generation));
        choices.add(choice);
      }
    }
    out.put("choices", choices);
    if (usage != null) {
      Map<String, Object> usageJson = new LinkedHashMap<String, Object>();
      putIfPresent(usageJson, "prompt_tokens", usage.inputTokens());
      putIfPresent(usageJson, "completion_tokens", usage.outputTokens());
      putIfPresent(usageJson, "total_tokens", usage.totalTokens());
      out.put("usage", usageJson);
    }
    return out;
  }

  /** Spring AI's finish reason (the provider's, in upper case: STOP, TOOL_CALLS) in OpenAI's words. */
  static String finishReason(Object generation) {
    String reason = Reflect.string(Reflect.call(generation, "getMetadata"), "getFinishReason");
    return reason == null || reason.isEmpty() ? null : reason.toLowerCase(Locale.ROOT);
  }

  /** The response's usage; in 1.x's tool loop the response sums all rounds so far, so the round before is taken off. */
  static Usage usage(Object response, Object previous) {
    Usage usage = usageOf(response);
    Usage before = previous == null ? null : usageOf(previous);
    if (usage == null || before == null) {
      return usage;
    }
    return new Usage(minus(usage.inputTokens(), before.inputTokens()), minus(usage.outputTokens(), before.outputTokens()),
        minus(usage.totalTokens(), before.totalTokens()), null, null);
  }

  static Usage usageOf(Object response) {
    Object usage = Reflect.call(Reflect.call(response, "getMetadata"), "getUsage");
    Long in = number(Reflect.call(usage, "getPromptTokens"));
    Long out = number(Reflect.call(usage, "getCompletionTokens"));
    Long total = number(Reflect.call(usage, "getTotalTokens"));
    if ((in == null || in == 0) && (out == null || out == 0) && (total == null || total == 0)) {
      // EmptyUsage: the provider sent none (a stream chunk before the last, a stream without usage).
      return null;
    }
    Long cached = number(Reflect.call(usage, "getCacheReadInputTokens"));
    return new Usage(in, out, total, cached, null);
  }

  private static Long minus(Long a, Long b) {
    return a == null ? null : Long.valueOf(a - (b == null ? 0 : b));
  }

  private static Long number(Object value) {
    return value instanceof Number ? Long.valueOf(((Number) value).longValue()) : null;
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
