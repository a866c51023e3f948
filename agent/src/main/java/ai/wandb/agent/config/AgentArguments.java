package ai.wandb.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code -javaagent:wandb-agent.jar=project=demo,entity=acme}: comma-separated {@code k=v}
 * items, a value may contain {@code =} and an escaped comma {@code \,}; a key without the {@code
 * wandb.} or {@code wf.} prefix means {@code wandb.<k>}. The value of a list key runs on over
 * plain commas, so {@code exporters=file,otlp,project=demo} reads as users expect.
 */
final class AgentArguments {
  private AgentArguments() {}

  /** Raw values by canonical name; malformed items are reported and skipped. */
  static Map<String, String> parse(String agentArgs, Problems problems) {
    Map<String, String> values = new LinkedHashMap<>();
    if (agentArgs == null) {
      return values;
    }
    List<String> items = splitOnUnescapedCommas(agentArgs);
    String listName = null;
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i).trim();
      if (item.isEmpty()) {
        continue;
      }
      int equals = item.indexOf('=');
      if (equals < 0 && listName != null) {
        String previous = values.get(listName);
        values.put(listName, previous == null ? item : previous + "," + item);
        continue;
      }
      if (equals <= 0) {
        problems.report(malformed(item, i + 1));
        listName = null;
        continue;
      }
      String name = canonicalName(item.substring(0, equals));
      ConfigSource.putIfPresent(values, name, item.substring(equals + 1));
      ConfigKey<?> key = Keys.find(name);
      listName = key != null && key.isList() ? name : null;
    }
    return values;
  }

  static String canonicalName(String key) {
    String name = key.trim().toLowerCase(Locale.ROOT);
    return name.startsWith("wandb.") || name.startsWith("wf.") ? name : "wandb." + name;
  }

  /**
   * An item without {@code =} could be a pasted API key, so it is echoed only when it reads as a
   * key name.
   */
  private static String malformed(String item, int position) {
    String name = item.indexOf('=') == 0 ? null : canonicalName(item);
    if (name != null && (Keys.isKnown(name) || Keys.suggest(name) != null)) {
      return "agent argument '"
          + item
          + "' has no value (expected key=value, e.g. "
          + item
          + "=...); skipped";
    }
    return "agent argument #" + position + " is not key=value; skipped";
  }

  private static List<String> splitOnUnescapedCommas(String text) {
    List<String> items = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    // A comma inside [...] separates the methods of trace.methods=com.acme.Assistant[answer,plan].
    int brackets = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[') {
        brackets++;
      } else if (c == ']' && brackets > 0) {
        brackets--;
      }
      if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == ',') {
        current.append(',');
        i++;
      } else if (c == ',' && brackets == 0) {
        items.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    items.add(current.toString());
    return items;
  }
}
