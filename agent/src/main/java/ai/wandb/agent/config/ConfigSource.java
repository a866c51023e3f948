package ai.wandb.agent.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** One place a key can be spelled: its raw values by canonical key name, and how it is named. */
final class ConfigSource {
  private enum Kind {
    AGENT_ARGUMENTS,
    SYSTEM_PROPERTIES,
    ENVIRONMENT,
    FILE
  }

  private final Kind kind;
  private final String filePath;
  private final Map<String, String> values;

  private ConfigSource(Kind kind, String filePath, Map<String, String> values) {
    this.kind = kind;
    this.filePath = filePath;
    this.values = Collections.unmodifiableMap(values);
  }

  static ConfigSource agentArguments(Map<String, String> values) {
    return new ConfigSource(Kind.AGENT_ARGUMENTS, null, values);
  }

  static ConfigSource systemProperties(Map<String, String> values) {
    return new ConfigSource(Kind.SYSTEM_PROPERTIES, null, values);
  }

  static ConfigSource environment(Map<String, String> values) {
    return new ConfigSource(Kind.ENVIRONMENT, null, values);
  }

  static ConfigSource file(String path, Properties properties) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      putIfPresent(values, name, properties.getProperty(name));
    }
    return new ConfigSource(Kind.FILE, path, values);
  }

  /**
   * Keeps a value only when it has content: an empty {@code WANDB_ENTITY=} means unset, so the
   * next spelling or the default applies.
   */
  static void putIfPresent(Map<String, String> values, String name, String raw) {
    if (raw != null && !raw.trim().isEmpty()) {
      values.put(name, raw.trim());
    }
  }

  /** Raw values by canonical name. */
  Map<String, String> values() {
    return values;
  }

  /** The source as a whole: "agent arguments", "system properties", "config file /etc/x". */
  String label() {
    switch (kind) {
      case AGENT_ARGUMENTS:
        return "agent arguments";
      case SYSTEM_PROPERTIES:
        return "system properties";
      case ENVIRONMENT:
        return "the environment";
      default:
        return "config file " + filePath;
    }
  }

  /** Where one key's value came from, as the user spelled it: "-Dwandb.project", "WANDB_PROJECT". */
  String describe(String canonicalName) {
    switch (kind) {
      case SYSTEM_PROPERTIES:
        return "-D" + canonicalName;
      case ENVIRONMENT:
        return ConfigKey.envName(canonicalName);
      default:
        return label();
    }
  }
}
