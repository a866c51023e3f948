package ai.wandb.agent.export.run;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.export.TraceJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's config ({@code reference/wandb-run-api.md} 2.4): the agent, the JVM, the host and main
 * class, and the models and request parameters seen so far, each top-level key wrapped as
 * {@code {"value": v}}, plus the internal {@code _wandb} key with only telemetry it can fill honestly.
 * The run sink's worker observes traces while its sender reads the JSON, so both are synchronized.
 */
public final class RunConfig {
  private final Map<String, Object> fixed = new LinkedHashMap<String, Object>();
  private final Map<String, Map<String, Object>> parametersByModel = new TreeMap<String, Map<String, Object>>();
  private final String agentVersion;
  private final RunSettings settings;

  /** Reads only local properties; the host name is looked up with the first {@link #json}, off the worker. */
  public RunConfig(String agentVersion, RunSettings settings) {
    this.agentVersion = agentVersion;
    this.settings = settings;
    Map<String, Object> agent = new LinkedHashMap<String, Object>();
    agent.put("name", "wandb-agent");
    agent.put("version", agentVersion);
    fixed.put("agent", agent);
    Map<String, Object> jvm = new LinkedHashMap<String, Object>();
    jvm.put("version", System.getProperty("java.version"));
    jvm.put("vendor", System.getProperty("java.vendor"));
    jvm.put("vm", System.getProperty("java.vm.name"));
    jvm.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    jvm.put("processors", Runtime.getRuntime().availableProcessors());
    fixed.put("jvm", jvm);
    fixed.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
  }

  /** The request parameters per requested model in one trace; built by the run sink's worker. */
  public static Map<String, Map<String, Object>> parametersOf(Span root) {
    Map<String, Map<String, Object>> byModel = new TreeMap<String, Map<String, Object>>();
    for (Span span : TraceJson.flatten(root)) {
      Object model = span.attributes().get("gen_ai.request.model");
      if (model == null) {
        continue;
      }
      Map<String, Object> parameters = new TreeMap<String, Object>();
      for (Map.Entry<String, Object> attribute : span.attributes().entrySet()) {
        String key = attribute.getKey();
        if (key.startsWith("gen_ai.request.") && !key.equals("gen_ai.request.model")) {
          parameters.put(key.substring("gen_ai.request.".length()), attribute.getValue());
        }
      }
      Object provider = span.attributes().get("gen_ai.provider.name");
      if (provider != null) {
        parameters.put("provider", provider);
      }
      byModel.put(model.toString(), parameters);
    }
    return byModel;
  }

  /** Merges what a trace used; true when the config changed and must be upserted again. */
  public synchronized boolean observe(Map<String, Map<String, Object>> parameters) {
    boolean changed = false;
    for (Map.Entry<String, Map<String, Object>> entry : parameters.entrySet()) {
      Map<String, Object> known = parametersByModel.get(entry.getKey());
      Map<String, Object> merged = new TreeMap<String, Object>(known == null ? new TreeMap<String, Object>() : known);
      merged.putAll(entry.getValue());
      if (!merged.equals(known)) {
        parametersByModel.put(entry.getKey(), merged);
        changed = true;
      }
    }
    return changed;
  }

  /** The JSON string sent as the {@code config} variable; the sender's thread only (the host look-up). */
  public String json() {
    String host = settings.host();
    synchronized (this) {
      return json(host);
    }
  }

  private String json(String host) {
    Map<String, Object> config = new LinkedHashMap<String, Object>();
    for (Map.Entry<String, Object> entry : fixed.entrySet()) {
      config.put(entry.getKey(), wrap(entry.getValue()));
    }
    config.put("host", wrap(host));
    config.put("main_class", wrap(settings.program));
    config.put("models", wrap(new ArrayList<String>(parametersByModel.keySet())));
    config.put("request_parameters", wrap(new TreeMap<String, Object>(parametersByModel)));
    Map<String, Object> telemetry = new LinkedHashMap<String, Object>();
    telemetry.put("13", platform(System.getProperty("os.name"), System.getProperty("os.arch")));
    Map<String, Object> internal = new LinkedHashMap<String, Object>();
    internal.put("cli_version", "wandb-agent-java-" + agentVersion);
    internal.put("t", telemetry);
    internal.put("m", new ArrayList<Object>());
    config.put("_wandb", wrap(internal));
    return Json.write(config);
  }

  private static Map<String, Object> wrap(Object value) {
    Map<String, Object> wrapper = new LinkedHashMap<String, Object>();
    wrapper.put("value", value);
    return wrapper;
  }

  /** The SDK's {@code f"{platform.system()}-{platform.machine()}".lower()} from Java's names. */
  static String platform(String osName, String osArch) {
    String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    String arch = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
    String system = os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "windows" : os.replace(' ', '_');
    String machine = arch;
    if (!system.equals("windows") && arch.equals("amd64")) {
      machine = "x86_64";
    } else if (system.equals("darwin") && arch.equals("aarch64")) {
      machine = "arm64";
    }
    return system + "-" + machine;
  }
}
