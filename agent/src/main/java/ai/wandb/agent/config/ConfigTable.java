package ai.wandb.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The README's configuration table, generated from {@link Keys}, so that the documentation cannot
 * drift from the keys the agent reads.
 */
public final class ConfigTable {
  private ConfigTable() {}

  /** The markdown table, one row per key in {@link Keys#all()} order, then the per-module switch. */
  public static String markdown() {
    List<ConfigKey<?>> keys = new ArrayList<>(Keys.all());
    keys.add(Keys.INSTRUMENTATION_ENABLED);
    StringBuilder table =
        new StringBuilder("| Key | Environment | Default | Accepted values | Description |\n")
            .append("|---|---|---|---|---|\n");
    for (ConfigKey<?> key : keys) {
      table
          .append("| ")
          .append(code(key.name()))
          .append(" | ")
          .append(code(key.envName()))
          .append(" | ")
          .append(defaultCell(key))
          .append(" | ")
          .append(escape(key.accepted()))
          .append(" | ")
          .append(escape(key.description()))
          .append(" |\n");
    }
    return table.toString();
  }

  private static String defaultCell(ConfigKey<?> key) {
    if (key.defaultValue() != null) {
      return code(key.defaultDisplay());
    }
    return key.defaultText() != null ? escape(key.defaultText()) : "unset";
  }

  private static String code(String text) {
    return "`" + text.replace("|", "\\|") + "`";
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
  }
}
