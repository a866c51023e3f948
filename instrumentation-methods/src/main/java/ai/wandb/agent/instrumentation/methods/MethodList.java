package ai.wandb.agent.instrumentation.methods;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code wandb.trace.methods} in the syntax of the OpenTelemetry agent's
 * {@code otel.instrumentation.methods.include}: {@code com.acme.Assistant[answer,plan];com.acme.Tools[*]}.
 * Entries are separated by {@code ;}, a class by its binary name ({@code a.b.Outer$Inner}), its methods
 * by {@code ,} inside the brackets; {@code *} stands for every method the class declares. A malformed
 * entry is reported once and skipped, the others are kept.
 */
final class MethodList {
  /** In a class's set of method names: every method it declares. */
  static final String ALL = "*";

  private static final Pattern CLASS_NAME =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");
  private static final Pattern METHOD_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*");

  private MethodList() {}

  /** Method names by class binary name, in the order given; {@code warn} gets one line per bad entry. */
  static Map<String, Set<String>> parse(String text, String key, Consumer<String> warn) {
    Map<String, Set<String>> methods = new LinkedHashMap<String, Set<String>>();
    if (text == null) {
      return methods;
    }
    for (String raw : text.split(";")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      String problem = problem(entry);
      if (problem != null) {
        warn.accept(key + " entry '" + entry + "' " + problem + " (expected e.g. com.acme.Assistant[answer,plan]"
            + " or com.acme.Tools[*]); skipped");
        continue;
      }
      int open = entry.indexOf('[');
      String className = entry.substring(0, open).trim();
      Set<String> names = methods.get(className);
      if (names == null) {
        names = new LinkedHashSet<String>();
        methods.put(className, names);
      }
      for (String name : entry.substring(open + 1, entry.length() - 1).split(",")) {
        names.add(name.trim());
      }
    }
    for (Map.Entry<String, Set<String>> entry : methods.entrySet()) {
      if (entry.getValue().contains(ALL)) {
        entry.setValue(Collections.singleton(ALL));
      }
    }
    return methods;
  }

  /** Why the entry is not {@code Class[method,...]}, or null when it is. */
  private static String problem(String entry) {
    int open = entry.indexOf('[');
    if (open < 0 || !entry.endsWith("]") || entry.indexOf('[', open + 1) >= 0
        || entry.indexOf(']') != entry.length() - 1) {
      return "is not Class[method,...]";
    }
    String className = entry.substring(0, open).trim();
    if (!CLASS_NAME.matcher(className).matches()) {
      return "has no valid class name";
    }
    String inside = entry.substring(open + 1, entry.length() - 1);
    if (inside.trim().isEmpty()) {
      return "names no method";
    }
    for (String name : inside.split(",", -1)) {
      String method = name.trim();
      if (!method.equals(ALL) && !METHOD_NAME.matcher(method).matches()) {
        return "has an invalid method name '" + method + "'";
      }
    }
    return null;
  }
}
