package ai.wandb.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One configuration key: its canonical name, default, one-line description, the values it accepts
 * and how a raw string becomes a value. Immutable; every key the agent reads is declared in {@link
 * Keys}.
 *
 * @param <T> the type of the parsed value
 */
public final class ConfigKey<T> {
  /** Turns a raw string into a value, or throws {@link IllegalArgumentException} with a short reason. */
  public interface Parser<T> {
    T parse(String raw);
  }

  private final String name;
  private final T defaultValue;
  private final String description;
  private final String accepted;
  private final Parser<T> parser;
  private final boolean secret;
  private final String defaultText;
  private final boolean list;

  private ConfigKey(
      String name,
      T defaultValue,
      String description,
      String accepted,
      Parser<T> parser,
      boolean secret,
      String defaultText,
      boolean list) {
    this.name = name;
    this.defaultValue = defaultValue;
    this.description = description;
    this.accepted = accepted;
    this.parser = parser;
    this.secret = secret;
    this.defaultText = defaultText;
    this.list = list;
  }

  /** A key with its own parser; {@code accepted} is what the bad-value line says is expected. */
  public static <T> ConfigKey<T> of(
      String name, T defaultValue, String description, String accepted, Parser<T> parser) {
    return new ConfigKey<>(name, defaultValue, description, accepted, parser, false, null, false);
  }

  public static ConfigKey<String> string(String name, String defaultValue, String description) {
    return of(name, defaultValue, description, "any text", raw -> raw);
  }

  /** A string that is never printed: its value shows as {@code <redacted>} everywhere. */
  public static ConfigKey<String> secret(String name, String description) {
    return new ConfigKey<>(
        name,
        null,
        description,
        "text without whitespace",
        raw -> {
          for (int i = 0; i < raw.length(); i++) {
            if (Character.isWhitespace(raw.charAt(i))) {
              throw new IllegalArgumentException("expected text without whitespace");
            }
          }
          return raw;
        },
        true,
        null,
        false);
  }

  /** An absolute http or https URL; trailing slashes are dropped, as the W&B SDK does. */
  public static ConfigKey<String> url(String name, String defaultValue, String description) {
    return of(
        name,
        defaultValue,
        description,
        "an http:// or https:// URL",
        raw -> {
          String lower = raw.toLowerCase(Locale.ROOT);
          if (!(lower.startsWith("http://") || lower.startsWith("https://"))
              || raw.indexOf("://") + 3 >= raw.length()) {
            throw new IllegalArgumentException("expected an http:// or https:// URL");
          }
          String url = raw;
          while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
          }
          return url;
        });
  }

  public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String description) {
    return of(
        name,
        defaultValue,
        description,
        "true or false",
        raw -> {
          if (raw.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
          }
          if (raw.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
          }
          throw new IllegalArgumentException("expected true or false");
        });
  }

  public static ConfigKey<Integer> intRange(
      String name, int defaultValue, int min, int max, String description) {
    String accepted = rangeText(min, max);
    return of(name, defaultValue, description, accepted, raw -> (int) inRange(raw, min, max, accepted));
  }

  public static ConfigKey<Long> longRange(
      String name, long defaultValue, long min, long max, String description) {
    String accepted = rangeText(min, max);
    return of(name, defaultValue, description, accepted, raw -> inRange(raw, min, max, accepted));
  }

  private static String rangeText(long min, long max) {
    return "an integer from " + min + " to " + max;
  }

  private static long inRange(String raw, long min, long max, String accepted) {
    long value = parseLong(raw, accepted);
    if (value < min || value > max) {
      throw new IllegalArgumentException("expected " + accepted);
    }
    return value;
  }

  /** One of {@code values}, matched ignoring case and returned in lower case. */
  public static ConfigKey<String> oneOf(
      String name, String defaultValue, String description, String... values) {
    List<String> allowed = lowerCase(values);
    String accepted = joinAlternatives(allowed);
    return of(
        name,
        defaultValue,
        description,
        accepted,
        raw -> {
          String value = raw.toLowerCase(Locale.ROOT);
          if (!allowed.contains(value)) {
            throw new IllegalArgumentException("expected " + accepted);
          }
          return value;
        });
  }

  /**
   * A comma-separated list; items are trimmed, empty items dropped and, when {@code allowed} is
   * given, each item must be one of them (matched ignoring case, returned in lower case). The
   * default is null: what an absent list means is up to the reader of the key.
   */
  public static ConfigKey<List<String>> list(String name, String description, String... allowed) {
    List<String> allowedItems = lowerCase(allowed);
    String accepted =
        allowedItems.isEmpty()
            ? "a comma-separated list"
            : "a comma-separated list of " + joinAlternatives(allowedItems);
    return new ConfigKey<>(
        name,
        null,
        description,
        accepted,
        raw -> {
          List<String> items = new ArrayList<>();
          for (String part : raw.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
              continue;
            }
            if (!allowedItems.isEmpty()) {
              item = item.toLowerCase(Locale.ROOT);
              if (!allowedItems.contains(item)) {
                throw new IllegalArgumentException(
                    "'" + item + "' is not one of " + joinAlternatives(allowedItems));
              }
            }
            items.add(item);
          }
          return Collections.unmodifiableList(items);
        },
        false,
        null,
        true);
  }

  /**
   * Regular expressions separated by commas; a comma inside {@code {}} or {@code []} belongs to the
   * expression ({@code \d{2,4}}). Items are not compiled here: one bad expression must not cost the
   * others, so {@link AgentConfig} compiles each and reports the bad ones.
   */
  public static ConfigKey<List<String>> regexList(String name, String description) {
    return new ConfigKey<>(
        name,
        null,
        description,
        "regular expressions separated by commas (a comma inside {} or [] is part of the expression)",
        ConfigKey::splitTopLevelCommas,
        false,
        null,
        true);
  }

  static List<String> splitTopLevelCommas(String raw) {
    List<String> items = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int nesting = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        current.append(c).append(raw.charAt(++i));
        continue;
      }
      if (c == '{' || c == '[') {
        nesting++;
      } else if ((c == '}' || c == ']') && nesting > 0) {
        nesting--;
      } else if (c == ',' && nesting == 0) {
        addTrimmed(items, current);
        continue;
      }
      current.append(c);
    }
    addTrimmed(items, current);
    return Collections.unmodifiableList(items);
  }

  private static void addTrimmed(List<String> items, StringBuilder item) {
    String text = item.toString().trim();
    if (!text.isEmpty()) {
      items.add(text);
    }
    item.setLength(0);
  }

  /** A copy whose value is never printed: it shows as {@code <redacted>} everywhere. */
  public ConfigKey<T> asSecret() {
    return new ConfigKey<>(name, defaultValue, description, accepted, parser, true, defaultText, list);
  }

  /** A copy whose default is described in words; for keys whose null default is resolved later. */
  public ConfigKey<T> withDefaultText(String text) {
    return new ConfigKey<>(name, defaultValue, description, accepted, parser, secret, text, list);
  }

  public String name() {
    return name;
  }

  /** The environment spelling: upper case, with {@code .} and {@code -} replaced by {@code _}. */
  public String envName() {
    return envName(name);
  }

  static String envName(String canonicalName) {
    return canonicalName.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public String accepted() {
    return accepted;
  }

  public boolean secret() {
    return secret;
  }

  /** Whether the value is a comma-separated list. */
  public boolean isList() {
    return list;
  }

  /**
   * Parses a raw value (already trimmed, never empty).
   *
   * @throws IllegalArgumentException with a short reason when the value is not accepted
   */
  public T parse(String raw) {
    return parser.parse(raw);
  }

  /** How a value of this key is shown to a user; secrets are always {@code <redacted>}. */
  public String display(Object value) {
    if (secret && value != null) {
      return "<redacted>";
    }
    if (value instanceof List) {
      StringBuilder joined = new StringBuilder();
      for (Object item : (List<?>) value) {
        joined.append(joined.length() == 0 ? "" : ",").append(item);
      }
      return joined.toString();
    }
    return String.valueOf(value);
  }

  /** The default in words when the value is null and resolved later, else null. */
  public String defaultText() {
    return defaultText;
  }

  /** The default as shown to a user: the value, or its description in words, or null. */
  public String defaultDisplay() {
    return defaultValue != null ? display(defaultValue) : defaultText;
  }

  @Override
  public String toString() {
    return name;
  }

  private static long parseLong(String raw, String accepted) {
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected " + accepted, e);
    }
  }

  private static List<String> lowerCase(String[] values) {
    List<String> lower = new ArrayList<>();
    for (String value : values) {
      lower.add(value.toLowerCase(Locale.ROOT));
    }
    return Collections.unmodifiableList(lower);
  }

  /** "a", "a or b", "a, b or c". */
  static String joinAlternatives(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        text.append(i == items.size() - 1 ? " or " : ", ");
      }
      text.append(items.get(i));
    }
    return text.toString();
  }
}
