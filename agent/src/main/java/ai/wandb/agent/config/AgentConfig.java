package ai.wandb.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The resolved configuration, immutable. Each key is looked up in agent arguments, system
 * properties, the environment and the config file, in that order; the first spelling found wins,
 * else the key's default. Bad input never stops the application: it is reported in one line and
 * the key's default is used.
 */
public final class AgentConfig {
  private static final Pattern INSTRUMENTATION_ENV =
      Pattern.compile("WANDB_INSTRUMENTATION_([A-Z0-9_]+)_ENABLED");

  private final Map<String, Object> values;
  private final Map<String, Boolean> instrumentationSwitches;
  private final String apiKey;
  private final String apiKeySource;
  private final String mode;
  private final boolean enabled;
  private final List<String> exporters;
  private final Path tracesDir;
  private final List<Pattern> redactPatterns;
  private final List<String> problems;

  private AgentConfig(
      Map<String, Object> values,
      Map<String, Boolean> instrumentationSwitches,
      String apiKey,
      String apiKeySource,
      String mode,
      List<String> exporters,
      Path tracesDir,
      List<Pattern> redactPatterns,
      List<String> problems) {
    this.values = Collections.unmodifiableMap(values);
    this.instrumentationSwitches = Collections.unmodifiableMap(instrumentationSwitches);
    this.apiKey = apiKey;
    this.apiKeySource = apiKeySource;
    this.mode = mode;
    this.enabled = (Boolean) values.get(Keys.ENABLED.name()) && !mode.equals("disabled");
    this.exporters = exporters;
    this.tracesDir = tracesDir;
    this.redactPatterns = redactPatterns;
    this.problems = problems;
  }

  /**
   * Resolves the configuration from what the caller read; nothing global is read here, so tests
   * inject every input.
   *
   * @param agentArgs the text after {@code -javaagent:wandb-agent.jar=}, or null
   * @param env {@code System.getenv()}
   * @param systemProperties {@code System.getProperties()}; {@code user.dir} is the working directory
   * @param userHome the user's home directory, where {@code .netrc} is looked for; may be null
   */
  public static AgentConfig load(
      String agentArgs, Map<String, String> env, Properties systemProperties, Path userHome) {
    Problems problems = new Problems();
    String userDir = systemProperties.getProperty("user.dir");
    Path workingDir = userDir != null ? Paths.get(userDir) : Paths.get("");

    List<ConfigSource> sources = new ArrayList<>();
    sources.add(
        reportUnknownKeys(
            ConfigSource.agentArguments(AgentArguments.parse(agentArgs, problems)), problems));
    sources.add(reportUnknownKeys(systemPropertySource(systemProperties), problems));
    sources.add(environmentSource(env));
    reportMistypedEnvironment(env, problems);
    ConfigSource file = configFileSource(sources, workingDir, userHome, problems);
    if (file != null) {
      sources.add(reportUnknownKeys(file, problems));
    }

    Map<String, Object> values = new LinkedHashMap<>();
    String apiKeySource = null;
    for (ConfigKey<?> key : Keys.all()) {
      ConfigSource source = firstSpelling(key.name(), sources);
      values.put(key.name(), source == null ? key.defaultValue() : parse(key, source, problems));
      if (key == Keys.API_KEY && values.get(key.name()) != null) {
        apiKeySource = source.describe(key.name());
      }
    }

    String apiKey = (String) values.get(Keys.API_KEY.name());
    if (apiKey == null) {
      Netrc.Entry entry =
          Netrc.lookup((String) values.get(Keys.BASE_URL.name()), env, userHome, problems);
      if (entry != null) {
        apiKey = entry.password();
        apiKeySource = entry.source();
      }
    }
    String explicitMode = (String) values.get(Keys.MODE.name());
    String mode = explicitMode != null ? explicitMode : apiKey != null ? "online" : "offline";
    @SuppressWarnings("unchecked") // the parser of wandb.exporters returns a List<String>
    List<String> explicitExporters = (List<String>) values.get(Keys.EXPORTERS.name());
    String dir = (String) values.get(Keys.DIR.name());
    Path tracesDir =
        (dir == null ? workingDir : resolvePath(dir, workingDir, userHome))
            .resolve("wandb")
            .resolve("traces");
    List<String> exporters = explicitExporters;
    if (explicitExporters == null || explicitExporters.isEmpty()) {
      exporters = defaultExporters(apiKey, mode);
      if (apiKey == null
          && "online".equals(explicitMode)
          && Boolean.TRUE.equals(values.get(Keys.ENABLED.name()))) {
        // Asked for online, silently getting local files would look like lost traces.
        problems.report(
            "wandb.mode=online (from "
                + firstSpelling(Keys.MODE.name(), sources).describe(Keys.MODE.name())
                + ") but no API key was found (WANDB_API_KEY, wandb.api_key or ~/.netrc);"
                + " traces are written to "
                + tracesDir);
      }
    }
    return new AgentConfig(
        values,
        instrumentationSwitches(sources, problems),
        apiKey,
        apiKeySource,
        mode,
        exporters,
        tracesDir,
        redactPatterns(values, sources, problems),
        problems.lines());
  }

  @SuppressWarnings("unchecked") // values holds, by name, what that key's parser returned
  public <T> T get(ConfigKey<T> key) {
    if (Keys.isInstrumentationSwitch(key.name())) {
      return (T) instrumentationSwitches.getOrDefault(key.envName(), Boolean.TRUE);
    }
    return values.containsKey(key.name()) ? (T) values.get(key.name()) : key.defaultValue();
  }

  /** {@code wandb.instrumentation.<moduleName>.enabled}, true unless switched off. */
  public boolean instrumentationEnabled(String moduleName) {
    return get(Keys.instrumentation(moduleName));
  }

  /** The W&B API key, or null when none was found. */
  public String apiKey() {
    return apiKey;
  }

  /** Where the API key came from, e.g. "WANDB_API_KEY" or "~/.netrc (api.wandb.ai)"; null if none. */
  public String apiKeySource() {
    return apiKeySource;
  }

  /** False when {@code wandb.enabled=false} or the mode is disabled: install nothing. */
  public boolean enabled() {
    return enabled;
  }

  /** online, offline or disabled; online by default when an API key is known, else offline. */
  public String mode() {
    return mode;
  }

  /** The sinks to start: as configured, else weave and run when online with a key, else file. */
  public List<String> exporters() {
    return exporters;
  }

  /** {@code <wandb.dir or the working directory>/wandb/traces}. */
  public Path tracesDir() {
    return tracesDir;
  }

  /** The compiled {@code wandb.redact} expressions; invalid ones were reported and left out. */
  public List<Pattern> redactPatterns() {
    return redactPatterns;
  }

  /** Every problem found while loading, one line each; they have already been printed. */
  public List<String> problems() {
    return problems;
  }

  @Override
  public String toString() {
    StringBuilder text =
        new StringBuilder("AgentConfig{enabled=")
            .append(enabled)
            .append(", mode=")
            .append(mode)
            .append(", exporters=")
            .append(exporters)
            .append(", apiKey=")
            .append(apiKey == null ? "none" : "<redacted> from " + apiKeySource)
            .append(", tracesDir=")
            .append(tracesDir);
    for (ConfigKey<?> key : Keys.all()) {
      Object value = values.get(key.name());
      if (value != null && key != Keys.API_KEY) {
        text.append(", ").append(key.name()).append('=').append(key.display(value));
      }
    }
    for (Map.Entry<String, Boolean> entry : instrumentationSwitches.entrySet()) {
      text.append(", ").append(entry.getKey()).append('=').append(entry.getValue());
    }
    return text.append('}').toString();
  }

  private static List<Pattern> redactPatterns(
      Map<String, Object> values, List<ConfigSource> sources, Problems problems) {
    @SuppressWarnings("unchecked") // the parser of wandb.redact returns a List<String>
    List<String> expressions = (List<String>) values.get(Keys.REDACT.name());
    List<Pattern> patterns = new ArrayList<>();
    if (expressions == null) {
      return patterns;
    }
    for (String expression : expressions) {
      try {
        patterns.add(Pattern.compile(expression));
      } catch (PatternSyntaxException e) {
        problems.report(
            "wandb.redact pattern '"
                + expression
                + "' (from "
                + firstSpelling(Keys.REDACT.name(), sources).describe(Keys.REDACT.name())
                + ") is not a valid regular expression: "
                + e.getDescription()
                + " near index "
                + e.getIndex()
                + "; skipped");
      }
    }
    return Collections.unmodifiableList(patterns);
  }

  private static List<String> defaultExporters(String apiKey, String mode) {
    return apiKey != null && mode.equals("online")
        ? Collections.unmodifiableList(Arrays.asList("weave", "run"))
        : Collections.singletonList("file");
  }

  private static ConfigSource systemPropertySource(Properties systemProperties) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : systemProperties.stringPropertyNames()) {
      if (name.startsWith("wandb.") || Keys.find(name) != null) {
        ConfigSource.putIfPresent(values, name, systemProperties.getProperty(name));
      }
    }
    return ConfigSource.systemProperties(values);
  }

  /**
   * Only declared names are read: the environment is shared with other tools, and the W&B SDK has
   * many {@code WANDB_} variables this agent does not use, so nothing here is "unknown".
   */
  private static ConfigSource environmentSource(Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    for (ConfigKey<?> key : Keys.all()) {
      ConfigSource.putIfPresent(values, key.name(), env.get(key.envName()));
    }
    for (Map.Entry<String, String> entry : env.entrySet()) {
      Matcher matcher = INSTRUMENTATION_ENV.matcher(entry.getKey());
      if (matcher.matches()) {
        String module = matcher.group(1).toLowerCase(Locale.ROOT);
        ConfigSource.putIfPresent(
            values, "wandb.instrumentation." + module + ".enabled", entry.getValue());
      }
    }
    return ConfigSource.environment(values);
  }

  /**
   * The same "did you mean" as for {@code -D}, for a {@code WANDB_}/{@code WF_} variable that is none of
   * ours, none the W&B SDK or Weave reads, and one or two typos away from ours: {@code WANDB_PROJCET}.
   * Anything further away belongs to some other tool and stays unmentioned.
   */
  private static void reportMistypedEnvironment(Map<String, String> env, Problems problems) {
    for (String name : new TreeSet<>(env.keySet())) {
      if (!(name.startsWith("WANDB_") || name.startsWith("WF_")) || Keys.isKnownEnv(name)
          || INSTRUMENTATION_ENV.matcher(name).matches() || Keys.isOtherWandbVariable(name)) {
        continue;
      }
      String suggestion = Keys.suggestEnv(name);
      if (suggestion != null) {
        problems.report("unknown environment variable " + name + "; did you mean " + suggestion + "?");
      }
    }
  }

  /** The file named by {@code wandb.config_file} in the sources so far, or null. */
  private static ConfigSource configFileSource(
      List<ConfigSource> sources, Path workingDir, Path userHome, Problems problems) {
    ConfigSource namedBy = firstSpelling(Keys.CONFIG_FILE.name(), sources);
    if (namedBy == null) {
      return null;
    }
    String name = namedBy.values().get(Keys.CONFIG_FILE.name());
    Path path = resolvePath(name, workingDir, userHome);
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      String reason = e instanceof NoSuchFileException ? "no such file" : e.getMessage();
      problems.report(
          "config file "
              + path
              + " (from "
              + namedBy.describe(Keys.CONFIG_FILE.name())
              + ") cannot be read: "
              + reason
              + "; ignored");
      return null;
    }
    return ConfigSource.file(path.toString(), properties);
  }

  /** Expands a leading {@code ~} as shells do, since a -D value is not expanded by the shell. */
  private static Path resolvePath(String name, Path workingDir, Path userHome) {
    if (userHome != null && (name.equals("~") || name.startsWith("~/"))) {
      return userHome.resolve(name.substring(Math.min(2, name.length())));
    }
    return workingDir.resolve(name);
  }

  private static ConfigSource reportUnknownKeys(ConfigSource source, Problems problems) {
    for (String name : source.values().keySet()) {
      if (!Keys.isKnown(name)) {
        String suggestion = Keys.suggest(name);
        problems.report(
            "unknown key "
                + name
                + " (from "
                + source.label()
                + ")"
                + (suggestion != null ? "; did you mean " + suggestion + "?" : "; ignored"));
      }
    }
    return source;
  }

  private static ConfigSource firstSpelling(String name, List<ConfigSource> sources) {
    for (ConfigSource source : sources) {
      if (source.values().containsKey(name)) {
        return source;
      }
    }
    return null;
  }

  private static <T> T parse(ConfigKey<T> key, ConfigSource source, Problems problems) {
    String name = key.name();
    String raw = source.values().get(name);
    try {
      return key.parse(raw);
    } catch (IllegalArgumentException e) {
      String fallback =
          key.defaultValue() != null
              ? "using the default " + key.defaultDisplay()
              : key.defaultText() != null ? "using the default: " + key.defaultText() : "ignored";
      problems.report(
          name
              + "="
              + (key.secret() ? "<redacted>" : raw)
              + " (from "
              + source.describe(name)
              + ") is not valid: "
              + e.getMessage()
              + "; "
              + fallback);
      return key.defaultValue();
    }
  }

  /**
   * The switches found in any source, keyed by environment spelling so that {@code openai-java}
   * and {@code openai_java} are one switch; first spelling wins as for fixed keys.
   */
  private static Map<String, Boolean> instrumentationSwitches(
      List<ConfigSource> sources, Problems problems) {
    Map<String, Boolean> switches = new LinkedHashMap<>();
    for (ConfigSource source : sources) {
      for (String name : source.values().keySet()) {
        String envName = ConfigKey.envName(name);
        if (Keys.isInstrumentationSwitch(name) && !switches.containsKey(envName)) {
          ConfigKey<Boolean> key =
              ConfigKey.bool(name, true, Keys.INSTRUMENTATION_ENABLED.description());
          switches.put(envName, parse(key, source, problems));
        }
      }
    }
    return switches;
  }
}
