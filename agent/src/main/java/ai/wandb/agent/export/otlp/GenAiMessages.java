package ai.wandb.agent.export.otlp;

import ai.wandb.agent.api.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI-shaped request and response bodies (the shape every instrumentation renders model calls in)
 * as the GenAI conventions' message schemas: messages of {@code role} and {@code parts}, a part being
 * {@code text}, {@code tool_call}, {@code tool_call_response}, {@code uri} or {@code reasoning}; output
 * messages carry their {@code finish_reason}.
 */
final class GenAiMessages {
  private GenAiMessages() {}

  /** Instructions given apart from the chat history (Responses API {@code instructions}). */
  static List<Object> systemInstructions(Map<String, Object> request) {
    Object instructions = request.get("instructions");
    if (instructions instanceof String) {
      return Collections.<Object>singletonList(text((String) instructions));
    }
    return Collections.emptyList();
  }

  static List<Object> inputMessages(Map<String, Object> request) {
    List<Object> out = new ArrayList<Object>();
    Object messages = request.get("messages");
    if (messages == null) {
      messages = request.get("input");
    }
    if (messages == null) {
      messages = request.get("prompt");
    }
    if (messages instanceof String) {
      out.add(message("user", Collections.<Object>singletonList(text((String) messages))));
    } else if (messages instanceof List) {
      for (Object item : (List<?>) messages) {
        Map<String, Object> input = OtlpSpans.map(item);
        if (item instanceof String) {
          out.add(message("user", Collections.<Object>singletonList(text((String) item))));
        } else if (input.containsKey("role")) {
          out.add(message(input));
        }
      }
    }
    return out;
  }

  static List<Object> outputMessages(Map<String, Object> response) {
    List<Object> out = new ArrayList<Object>();
    Object choices = response.get("choices");
    if (choices instanceof List) {
      for (Object item : (List<?>) choices) {
        Map<String, Object> choice = OtlpSpans.map(item);
        Map<String, Object> message = message(OtlpSpans.map(choice.get("message")));
        if (!message.containsKey("role")) {
          message.put("role", "assistant");
        }
        Object finish = choice.get("finish_reason");
        message.put("finish_reason", finish == null ? "stop" : String.valueOf(finish));
        out.add(message);
      }
    }
    Object text = response.get("output_text");
    if (out.isEmpty() && text instanceof String) {
      Map<String, Object> message = message("assistant", Collections.<Object>singletonList(text((String) text)));
      message.put("finish_reason", "stop");
      out.add(message);
    }
    return out;
  }

  /** OpenAI's {@code {type: function, function: {name, description, parameters}}} flattened as the conventions have it. */
  static List<Object> toolDefinitions(Object tools) {
    List<Object> out = new ArrayList<Object>();
    if (!(tools instanceof List)) {
      return out;
    }
    for (Object item : (List<?>) tools) {
      Map<String, Object> tool = OtlpSpans.map(item);
      Map<String, Object> function = tool.containsKey("function") ? OtlpSpans.map(tool.get("function")) : tool;
      Map<String, Object> definition = new LinkedHashMap<String, Object>();
      definition.put("type", tool.get("type") == null ? "function" : tool.get("type"));
      putIfPresent(definition, "name", function.get("name"));
      putIfPresent(definition, "description", function.get("description"));
      putIfPresent(definition, "parameters", function.get("parameters"));
      out.add(definition);
    }
    return out;
  }

  private static Map<String, Object> message(Map<String, Object> input) {
    String role = input.get("role") == null ? null : String.valueOf(input.get("role"));
    List<Object> parts = new ArrayList<Object>();
    if ("tool".equals(role)) {
      Map<String, Object> response = new LinkedHashMap<String, Object>();
      response.put("type", "tool_call_response");
      putIfPresent(response, "id", input.get("tool_call_id"));
      response.put("response", flatText(input.get("content")));
      parts.add(response);
    } else {
      addContent(parts, input.get("content"));
      Object refusal = input.get("refusal");
      if (refusal instanceof String) {
        parts.add(text((String) refusal));
      }
    }
    Object toolCalls = input.get("tool_calls");
    if (toolCalls instanceof List) {
      for (Object item : (List<?>) toolCalls) {
        Map<String, Object> call = OtlpSpans.map(item);
        Map<String, Object> function = OtlpSpans.map(call.get("function"));
        Map<String, Object> part = new LinkedHashMap<String, Object>();
        part.put("type", "tool_call");
        putIfPresent(part, "id", call.get("id"));
        putIfPresent(part, "name", function.get("name"));
        putIfPresent(part, "arguments", parsedArguments(function.get("arguments")));
        parts.add(part);
      }
    }
    Map<String, Object> out = role == null ? new LinkedHashMap<String, Object>() : message(role, parts);
    if (role == null) {
      out.put("parts", parts);
    }
    Object name = input.get("name");
    if (name instanceof String && !"tool".equals(role)) {
      out.put("name", name);
    }
    return out;
  }

  private static Map<String, Object> message(String role, List<Object> parts) {
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    out.put("role", role);
    out.put("parts", parts);
    return out;
  }

  private static void addContent(List<Object> parts, Object content) {
    if (content instanceof String) {
      parts.add(text((String) content));
      return;
    }
    if (!(content instanceof List)) {
      return;
    }
    for (Object item : (List<?>) content) {
      Map<String, Object> part = OtlpSpans.map(item);
      Object type = part.get("type");
      if (item instanceof String) {
        parts.add(text((String) item));
      } else if (part.get("text") instanceof String) {
        parts.add(text((String) part.get("text")));
      } else if ("image_url".equals(type)) {
        Map<String, Object> uri = new LinkedHashMap<String, Object>();
        uri.put("type", "uri");
        uri.put("modality", "image");
        uri.put("uri", OtlpSpans.map(part.get("image_url")).get("url"));
        parts.add(uri);
      } else if (part.get("refusal") instanceof String) {
        parts.add(text((String) part.get("refusal")));
      } else if (type != null) {
        // A part the schema has no name for keeps its own type and fields (the schema's generic part).
        parts.add(part);
      }
    }
  }

  private static Object flatText(Object content) {
    if (content instanceof List) {
      StringBuilder text = new StringBuilder();
      for (Object item : (List<?>) content) {
        Object piece = OtlpSpans.map(item).get("text");
        text.append(piece instanceof String ? (String) piece : item instanceof String ? (String) item : "");
      }
      return text.toString();
    }
    return content;
  }

  /** OpenAI sends tool arguments as JSON text; the conventions want the object where it parses. */
  private static Object parsedArguments(Object arguments) {
    if (arguments instanceof String) {
      try {
        return Json.parse((String) arguments);
      } catch (Exception notJson) {
        return arguments;
      }
    }
    return arguments;
  }

  private static Map<String, Object> text(String content) {
    Map<String, Object> part = new LinkedHashMap<String, Object>();
    part.put("type", "text");
    part.put("content", content);
    return part;
  }

  private static void putIfPresent(Map<String, Object> out, String key, Object value) {
    if (value != null) {
      out.put(key, value);
    }
  }
}
