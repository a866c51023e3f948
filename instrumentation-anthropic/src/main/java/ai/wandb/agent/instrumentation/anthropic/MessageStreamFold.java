package ai.wandb.agent.instrumentation.anthropic;

import ai.wandb.agent.api.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds a Messages stream's events, read as wire JSON on the exporter thread, into the message the same
 * call would have returned without streaming: {@code message_start} gives the message (id, model, first
 * usage), each {@code content_block_start} a block that its {@code content_block_delta}s extend (text,
 * a tool call's input JSON in pieces, thinking and its signature, citations), and {@code message_delta}
 * the stop reason and the final usage. A stream cut short folds to what was read.
 */
final class MessageStreamFold {
  private MessageStreamFold() {}

  static Map<String, Object> message(List<Map<String, Object>> events) {
    Map<String, Object> message = new LinkedHashMap<String, Object>();
    TreeMap<Integer, Block> blocks = new TreeMap<Integer, Block>();
    for (Map<String, Object> event : events) {
      Object type = event.get("type");
      if ("message_start".equals(type) && map(event.get("message")) != null) {
        message.putAll(map(event.get("message")));
        message.put("usage", copy(map(message.get("usage"))));
      } else if ("content_block_start".equals(type) && map(event.get("content_block")) != null) {
        blocks.put(index(event), new Block(map(event.get("content_block"))));
      } else if ("content_block_delta".equals(type)) {
        Block block = blocks.get(index(event));
        if (block != null && map(event.get("delta")) != null) {
          block.apply(map(event.get("delta")));
        }
      } else if ("message_delta".equals(type)) {
        Map<String, Object> delta = map(event.get("delta"));
        if (delta != null) {
          message.putAll(delta);
        }
        mergeUsage(message, map(event.get("usage")));
      }
    }
    List<Object> content = new ArrayList<Object>();
    for (Block block : blocks.values()) {
      content.add(block.toJson());
    }
    message.put("content", content);
    return message;
  }

  /** The usage of {@code message_delta} is the running total: its fields replace those of {@code message_start}. */
  private static void mergeUsage(Map<String, Object> message, Map<String, Object> usage) {
    if (usage == null) {
      return;
    }
    Map<String, Object> merged = copy(map(message.get("usage")));
    for (Map.Entry<String, Object> field : usage.entrySet()) {
      if (field.getValue() != null) {
        merged.put(field.getKey(), field.getValue());
      }
    }
    message.put("usage", merged);
  }

  private static Map<String, Object> copy(Map<String, Object> map) {
    return map == null ? new LinkedHashMap<String, Object>() : new LinkedHashMap<String, Object>(map);
  }

  private static int index(Map<String, Object> event) {
    return event.get("index") instanceof Number ? ((Number) event.get("index")).intValue() : 0;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map ? (Map<String, Object>) value : null;
  }

  private static final class Block {
    private final Map<String, Object> block;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder inputJson = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private final StringBuilder signature = new StringBuilder();
    private final List<Object> citations = new ArrayList<Object>();

    Block(Map<String, Object> start) {
      this.block = new LinkedHashMap<String, Object>(start);
      append(text, start.get("text"));
      append(thinking, start.get("thinking"));
      append(signature, start.get("signature"));
    }

    void apply(Map<String, Object> delta) {
      Object type = delta.get("type");
      if ("text_delta".equals(type)) {
        append(text, delta.get("text"));
      } else if ("input_json_delta".equals(type)) {
        append(inputJson, delta.get("partial_json"));
      } else if ("thinking_delta".equals(type)) {
        append(thinking, delta.get("thinking"));
      } else if ("signature_delta".equals(type)) {
        append(signature, delta.get("signature"));
      } else if ("citations_delta".equals(type) && delta.get("citation") != null) {
        citations.add(delta.get("citation"));
      }
    }

    Map<String, Object> toJson() {
      Map<String, Object> out = new LinkedHashMap<String, Object>(block);
      if (block.containsKey("text")) {
        out.put("text", text.toString());
      }
      if (block.containsKey("thinking")) {
        out.put("thinking", thinking.toString());
      }
      if (block.containsKey("signature")) {
        out.put("signature", signature.toString());
      }
      if (!citations.isEmpty()) {
        out.put("citations", citations);
      }
      if (inputJson.length() > 0) {
        // A tool call's input arrives as pieces of one JSON text; cut short, it stays the text read.
        try {
          out.put("input", Json.parse(inputJson.toString()));
        } catch (IOException | RuntimeException e) {
          out.put("input", inputJson.toString());
        }
      }
      return out;
    }

    private static void append(StringBuilder out, Object piece) {
      if (piece instanceof String) {
        out.append((String) piece);
      }
    }
  }
}
