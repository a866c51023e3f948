package ai.wandb.agent.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every captured value passes through before a span keeps it (inputs, outputs, attributes, error
 * message and stack): secrets redacted, text longer than {@code wandb.max_value_chars} cut with a marker
 * that says how much was dropped, unpaired surrogates (text that was never valid Unicode) replaced, and
 * trees cut below {@link #MAX_DEPTH} levels, so no sink ever gets a value it cannot hold and nothing
 * recurses without bound. Exporter thread only.
 */
public final class CapturedValues {
  /** Deeper than any request or response shape; deep enough to show where a runaway tree went. */
  public static final int MAX_DEPTH = 64;
  public static final int DEFAULT_MAX_CHARS = 1 << 20;
  /** What stands for a tree cut at {@link #MAX_DEPTH}: where the parser and the SDK tree stop too. */
  public static final String TOO_DEEP = "<truncated by wandb-agent: nested deeper than " + MAX_DEPTH + " levels>";

  private static volatile int maxChars = DEFAULT_MAX_CHARS;
  private static volatile Redactor redactor = Redactor.BUILT_IN_ONLY;

  private CapturedValues() {}

  /** {@code wandb.max_value_chars} and the redaction rules; set once at start. */
  public static void configure(int maxValueChars, Redactor rules) {
    maxChars = maxValueChars;
    redactor = rules == null ? Redactor.BUILT_IN_ONLY : rules;
  }

  /** A copy of a JSON-ready tree with every rule applied; other values pass through unchanged. */
  public static Object tree(Object value) {
    return tree(value, 0);
  }

  private static Object tree(Object value, int depth) {
    if (value instanceof String) {
      return text((String) value);
    }
    if (value == null || value instanceof Number || value instanceof Boolean) {
      // The other leaves, by class checks, before the interface checks below (see Json.write).
      return value;
    }
    boolean container = value instanceof Map || value instanceof Collection || value instanceof Object[];
    if (!container) {
      return value;
    }
    if (depth >= MAX_DEPTH) {
      return TOO_DEEP;
    }
    if (value instanceof Map) {
      Map<Object, Object> out = new LinkedHashMap<Object, Object>();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        Object key = entry.getKey() instanceof String ? text((String) entry.getKey()) : entry.getKey();
        out.put(key, Redactor.isSecretKey(entry.getKey()) && entry.getValue() != null
            ? Redactor.REDACTED : tree(entry.getValue(), depth + 1));
      }
      return out;
    }
    Collection<?> elements = value instanceof Collection
        ? (Collection<?>) value : java.util.Arrays.asList((Object[]) value);
    List<Object> out = new ArrayList<Object>(elements.size());
    for (Object element : elements) {
      out.add(tree(element, depth + 1));
    }
    return out;
  }

  /** One text value with every rule applied; {@code null} stays {@code null}. */
  public static String text(String value) {
    if (value == null) {
      return null;
    }
    int limit = maxChars;
    String kept = value;
    if (kept.length() > limit) {
      int cut = Character.isHighSurrogate(kept.charAt(limit - 1)) ? limit - 1 : limit;
      kept = kept.substring(0, cut);
    }
    kept = redactor.redact(wellFormed(kept));
    if (kept.length() > limit) {
      kept = kept.substring(0, limit);
    }
    if (value.length() > limit) {
      kept = kept + " <truncated by wandb-agent: " + (value.length() - limit) + " of " + value.length()
          + " chars dropped (wandb.max_value_chars=" + limit + ")>";
    }
    return kept;
  }

  /** Replaces unpaired surrogates, which no UTF-8 writer can encode, with U+FFFD. */
  static String wellFormed(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, i);
        }
        out.append('\uFFFD');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
