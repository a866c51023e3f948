package ai.wandb.agent.instrumentation.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds a stream's chunks, read as wire JSON on the exporter thread, into the one object the same call
 * would have returned without streaming. Works on JSON maps, not SDK classes, so it does not care which
 * SDK version produced the chunks.
 */
final class StreamFolds {
  private StreamFolds() {}

  /** Chat {@code chat.completion.chunk}s → a {@code chat.completion}. */
  static Map<String, Object> chat(List<Map<String, Object>> chunks) {
    Map<String, Object> completion = new LinkedHashMap<String, Object>();
    TreeMap<Integer, ChoiceBuilder> choices = new TreeMap<Integer, ChoiceBuilder>();
    for (Map<String, Object> chunk : chunks) {
      copyHeader(chunk, completion, "chat.completion");
      for (Map<String, Object> choice : maps(chunk.get("choices"))) {
        ChoiceBuilder builder = choice(choices, choice);
        Map<String, Object> delta = map(choice.get("delta"));
        if (delta == null) {
          continue;
        }
        if (delta.get("role") != null) {
          builder.role = String.valueOf(delta.get("role"));
        }
        append(builder.content, delta.get("content"));
        append(builder.refusal, delta.get("refusal"));
        for (Map<String, Object> call : maps(delta.get("tool_calls"))) {
          builder.toolCall(call);
        }
      }
    }
    List<Object> out = new ArrayList<Object>();
    for (ChoiceBuilder builder : choices.values()) {
      out.add(builder.chatChoice());
    }
    completion.put("choices", out);
    return completion;
  }

  /** Legacy {@code text_completion} chunks → one {@code text_completion}. */
  static Map<String, Object> completion(List<Map<String, Object>> chunks) {
    Map<String, Object> completion = new LinkedHashMap<String, Object>();
    TreeMap<Integer, ChoiceBuilder> choices = new TreeMap<Integer, ChoiceBuilder>();
    for (Map<String, Object> chunk : chunks) {
      copyHeader(chunk, completion, "text_completion");
      for (Map<String, Object> choice : maps(chunk.get("choices"))) {
        append(choice(choices, choice).content, choice.get("text"));
      }
    }
    List<Object> out = new ArrayList<Object>();
    for (ChoiceBuilder builder : choices.values()) {
      Map<String, Object> choice = new LinkedHashMap<String, Object>();
      choice.put("index", builder.index);
      choice.put("text", builder.content.toString());
      choice.put("finish_reason", builder.finishReason);
      out.add(choice);
    }
    completion.put("choices", out);
    return completion;
  }

  /**
   * Responses stream events → the final {@code response} (from {@code response.completed},
   * {@code .incomplete} or {@code .failed}); for a stream cut short, the last response seen with the
   * text deltas read so far as its output.
   */
  static Map<String, Object> response(List<Map<String, Object>> events) {
    Map<String, Object> last = null;
    StringBuilder text = new StringBuilder();
    for (Map<String, Object> event : events) {
      Map<String, Object> response = map(event.get("response"));
      if (response != null) {
        last = response;
      }
      if ("response.output_text.delta".equals(event.get("type"))) {
        append(text, event.get("delta"));
      }
    }
    Object status = last == null ? null : last.get("status");
    if (last != null && ("completed".equals(status) || "incomplete".equals(status) || "failed".equals(status))) {
      return last;
    }
    Map<String, Object> partial = new LinkedHashMap<String, Object>();
    if (last != null) {
      partial.putAll(last);
    }
    partial.put("output_text", text.toString());
    return partial;
  }

  /**
   * Assistants stream events ({@code {"event": ..., "data": ...}}) → {@code {"run": last run state,
   * "messages": completed messages}}, with the text deltas read so far when no message completed.
   */
  static Map<String, Object> assistantRun(List<Map<String, Object>> events) {
    Map<String, Object> run = null;
    List<Object> messages = new ArrayList<Object>();
    StringBuilder text = new StringBuilder();
    for (Map<String, Object> event : events) {
      Map<String, Object> data = map(event.get("data"));
      if (data == null) {
        continue;
      }
      Object object = data.get("object");
      if ("thread.run".equals(object)) {
        run = data;
      } else if ("thread.message".equals(object) && "completed".equals(data.get("status"))) {
        messages.add(data);
      } else if ("thread.message.delta".equals(object)) {
        Map<String, Object> delta = map(data.get("delta"));
        for (Map<String, Object> part : maps(delta == null ? null : delta.get("content"))) {
          Map<String, Object> partText = map(part.get("text"));
          append(text, partText == null ? null : partText.get("value"));
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    out.put("run", run);
    if (!messages.isEmpty()) {
      out.put("messages", messages);
    } else if (text.length() > 0) {
      out.put("text", text.toString());
    }
    return out;
  }

  private static void copyHeader(Map<String, Object> chunk, Map<String, Object> completion, String object) {
    for (String key : new String[] {"id", "created", "model", "system_fingerprint", "service_tier"}) {
      if (!completion.containsKey(key) && chunk.get(key) != null) {
        completion.put(key, chunk.get(key));
      }
    }
    completion.put("object", object);
    if (chunk.get("usage") != null) {
      completion.put("usage", chunk.get("usage"));
    }
  }

  private static ChoiceBuilder choice(TreeMap<Integer, ChoiceBuilder> choices, Map<String, Object> choice) {
    int index = choice.get("index") instanceof Number ? ((Number) choice.get("index")).intValue() : 0;
    ChoiceBuilder builder = choices.get(index);
    if (builder == null) {
      builder = new ChoiceBuilder(index);
      choices.put(index, builder);
    }
    if (choice.get("finish_reason") != null) {
      builder.finishReason = choice.get("finish_reason");
    }
    return builder;
  }

  private static void append(StringBuilder out, Object text) {
    if (text instanceof String) {
      out.append((String) text);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map ? (Map<String, Object>) value : null;
  }

  static List<Map<String, Object>> maps(Object value) {
    List<Map<String, Object>> out = new ArrayList<Map<String, Object>>();
    if (value instanceof List) {
      for (Object element : (List<?>) value) {
        Map<String, Object> map = map(element);
        if (map != null) {
          out.add(map);
        }
      }
    }
    return out;
  }

  private static final class ChoiceBuilder {
    final int index;
    String role = "assistant";
    final StringBuilder content = new StringBuilder();
    final StringBuilder refusal = new StringBuilder();
    final TreeMap<Integer, ToolCallBuilder> toolCalls = new TreeMap<Integer, ToolCallBuilder>();
    Object finishReason;

    ChoiceBuilder(int index) {
      this.index = index;
    }

    void toolCall(Map<String, Object> delta) {
      int callIndex = delta.get("index") instanceof Number ? ((Number) delta.get("index")).intValue() : 0;
      ToolCallBuilder call = toolCalls.get(callIndex);
      if (call == null) {
        call = new ToolCallBuilder();
        toolCalls.put(callIndex, call);
      }
      if (delta.get("id") != null) {
        call.id = delta.get("id");
      }
      if (delta.get("type") != null) {
        call.type = delta.get("type");
      }
      Map<String, Object> function = map(delta.get("function"));
      if (function != null) {
        append(call.name, function.get("name"));
        append(call.arguments, function.get("arguments"));
      }
    }

    Map<String, Object> chatChoice() {
      Map<String, Object> message = new LinkedHashMap<String, Object>();
      message.put("role", role);
      message.put("content", content.length() == 0 && !toolCalls.isEmpty() ? null : content.toString());
      if (refusal.length() > 0) {
        message.put("refusal", refusal.toString());
      }
      if (!toolCalls.isEmpty()) {
        List<Object> calls = new ArrayList<Object>();
        for (ToolCallBuilder call : toolCalls.values()) {
          calls.add(call.toJson());
        }
        message.put("tool_calls", calls);
      }
      Map<String, Object> choice = new LinkedHashMap<String, Object>();
      choice.put("index", index);
      choice.put("message", message);
      choice.put("finish_reason", finishReason);
      return choice;
    }
  }

  private static final class ToolCallBuilder {
    Object id;
    Object type = "function";
    final StringBuilder name = new StringBuilder();
    final StringBuilder arguments = new StringBuilder();

    Map<String, Object> toJson() {
      Map<String, Object> function = new LinkedHashMap<String, Object>();
      function.put("name", name.toString());
      function.put("arguments", arguments.toString());
      Map<String, Object> call = new LinkedHashMap<String, Object>();
      call.put("id", id);
      call.put("type", type);
      call.put("function", function);
      return call;
    }
  }
}
