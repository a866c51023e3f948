package ai.wandb.agent.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code wandb.capture_content=false}: inputs and outputs keep their shape (roles, models, ids, tool
 * names, finish reasons, numbers) but every other text becomes a marker that says how long it was, so
 * prompts and answers never leave the process.
 */
public final class ContentFilter {
  /** Fields that describe structure, not content. */
  private static final Set<String> STRUCTURAL = new HashSet<String>(Arrays.asList(
      "role", "model", "id", "type", "name", "object", "finish_reason", "tool_call_id", "service_tier",
      "system_fingerprint", "status", "tool_choice", "response_format", "encoding_format", "reasoning_effort"));

  private ContentFilter() {}

  public static Object redact(Object value) {
    return redact(null, value);
  }

  private static Object redact(String key, Object value) {
    if (value instanceof String) {
      return key != null && STRUCTURAL.contains(key) ? value : "<redacted: " + ((String) value).length() + " chars>";
    }
    if (value instanceof Map) {
      Map<Object, Object> out = new LinkedHashMap<Object, Object>();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        out.put(entry.getKey(), redact(String.valueOf(entry.getKey()), entry.getValue()));
      }
      return out;
    }
    if (value instanceof Collection) {
      List<Object> out = new ArrayList<Object>();
      for (Object element : (Collection<?>) value) {
        out.add(redact(key, element));
      }
      return out;
    }
    return value;
  }
}
