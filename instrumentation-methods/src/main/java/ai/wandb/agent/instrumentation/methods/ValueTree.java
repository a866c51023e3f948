package ai.wandb.agent.instrumentation.methods;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An application value as JSON: strings, numbers and booleans as they are, collections, maps and
 * arrays element by element (the first {@link #MAX_ELEMENTS}), anything else as its {@code toString()}.
 * Exporter thread only; a {@code toString()} that throws costs only that value's text.
 */
final class ValueTree {
  static final int MAX_ELEMENTS = 100;
  private static final int MAX_DEPTH = 8;

  private ValueTree() {}

  static Object of(Object value) {
    return of(value, 0);
  }

  private static Object of(Object value, int depth) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Character || value instanceof Enum) {
      return value.toString();
    }
    if (depth < MAX_DEPTH) {
      if (value instanceof Map) {
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          if (out.size() == MAX_ELEMENTS) {
            out.put("...", "<" + (((Map<?, ?>) value).size() - MAX_ELEMENTS) + " more entries>");
            break;
          }
          out.put(text(entry.getKey()), of(entry.getValue(), depth + 1));
        }
        return out;
      }
      if (value instanceof Collection) {
        return elements(((Collection<?>) value).toArray(), depth);
      }
      if (value instanceof Object[]) {
        return elements((Object[]) value, depth);
      }
      if (value.getClass().isArray()) {
        Object[] boxed = new Object[java.lang.reflect.Array.getLength(value)];
        for (int i = 0; i < boxed.length; i++) {
          boxed[i] = java.lang.reflect.Array.get(value, i);
        }
        return elements(boxed, depth);
      }
    }
    return text(value);
  }

  private static List<Object> elements(Object[] values, int depth) {
    List<Object> out = new ArrayList<Object>(Math.min(values.length, MAX_ELEMENTS + 1));
    for (int i = 0; i < values.length && i < MAX_ELEMENTS; i++) {
      out.add(of(values[i], depth + 1));
    }
    if (values.length > MAX_ELEMENTS) {
      out.add("<" + (values.length - MAX_ELEMENTS) + " more elements>");
    }
    return out;
  }

  private static String text(Object value) {
    try {
      return String.valueOf(value);
    } catch (Throwable t) {
      return "<" + value.getClass().getName() + ".toString() threw " + t.getClass().getName() + ">";
    }
  }
}
