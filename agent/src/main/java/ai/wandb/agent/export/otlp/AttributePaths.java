package ai.wandb.agent.export.otlp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weave unflattens dotted keys into nested objects and rejects a span that has both a scalar {@code a.b}
 * and a key {@code a.b.c}; other backends that nest keys (Elastic, some SQL exporters) fail the same way.
 * The scalar then moves to {@code a.b.value}, so no value is lost.
 */
final class AttributePaths {
  private AttributePaths() {}

  static Map<String, Object> withoutConflicts(Map<String, Object> attributes) {
    Map<String, Object> out = new LinkedHashMap<String, Object>(attributes);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (String key : out.keySet().toArray(new String[0])) {
        if (hasKeyBelow(out, key)) {
          Object value = out.remove(key);
          String moved = key + ".value";
          while (out.containsKey(moved)) {
            moved = moved + "_";
          }
          out.put(moved, value);
          changed = true;
        }
      }
    }
    return out;
  }

  private static boolean hasKeyBelow(Map<String, Object> attributes, String key) {
    String prefix = key + ".";
    for (String other : attributes.keySet()) {
      if (other.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
