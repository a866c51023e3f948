package ai.wandb.agent.testing.wandb;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Field checks shared by the three APIs; each failure becomes the rejection its API would send. */
final class Strict {
  static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  static final Pattern HEX16 = Pattern.compile("[0-9a-f]{16}");
  static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");

  private Strict() {}

  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  static void onlyKeys(Map<String, Object> object, Set<String> allowed, Function<String, Rejection> onUnknown) {
    for (String key : object.keySet()) {
      if (!allowed.contains(key)) {
        throw onUnknown.apply(key);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value, Function<String, Rejection> onWrong, String what) {
    if (!(value instanceof Map)) {
      throw onWrong.apply(what + " must be a JSON object");
    }
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value, Function<String, Rejection> onWrong, String what) {
    if (!(value instanceof List)) {
      throw onWrong.apply(what + " must be a JSON array");
    }
    return (List<Object>) value;
  }

  static String optionalString(Map<String, Object> object, String key, Function<String, Rejection> onWrong) {
    Object value = object.get(key);
    if (value != null && !(value instanceof String)) {
      throw onWrong.apply(key + " must be a string or null");
    }
    return (String) value;
  }

  static String requiredString(Map<String, Object> object, String key, Function<String, Rejection> onWrong) {
    String value = optionalString(object, key, onWrong);
    if (value == null) {
      throw onWrong.apply(key + " is required");
    }
    return value;
  }

  static boolean isInteger(Object value) {
    return value instanceof Integer || value instanceof Long
        || value instanceof java.math.BigInteger;
  }

  /** RFC 3339 with an explicit zone, as the trace server's date-time fields require. */
  static OffsetDateTime dateTime(Map<String, Object> object, String key, Function<String, Rejection> onWrong) {
    String text = requiredString(object, key, onWrong);
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw onWrong.apply(key + " is not a date-time with a zone: " + text);
    }
  }
}
