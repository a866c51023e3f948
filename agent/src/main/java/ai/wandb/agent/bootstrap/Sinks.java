package ai.wandb.agent.bootstrap;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.config.AgentConfig;
import ai.wandb.agent.config.Keys;
import ai.wandb.agent.export.FileSink;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.Sink;
import ai.wandb.agent.export.http.Sleeper;
import ai.wandb.agent.export.http.UrlConnectionTransport;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.otlp.OtlpSettings;
import ai.wandb.agent.export.otlp.OtlpSink;
import ai.wandb.agent.export.run.RunSettings;
import ai.wandb.agent.export.run.RunSink;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.export.wandb.WandbUrls;
import ai.wandb.agent.export.weave.WeaveSink;
import ai.wandb.agent.export.spool.Spool;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the sinks that {@code wandb.exporters} names. */
final class Sinks {
  private static final int HTTP_TIMEOUT_MILLIS = 30000;

  private Sinks() {}

  static List<Sink> create(AgentConfig config, RunInfo run, RunSink.ExitCode exitCode) {
    List<Sink> sinks = new ArrayList<Sink>();
    boolean wantsFile = false;
    boolean wantsWeave = false;
    boolean wantsRun = false;
    boolean wantsOtlp = false;
    for (String exporter : config.exporters()) {
      if ("file".equals(exporter)) {
        wantsFile = true;
      } else if ("weave".equals(exporter)) {
        wantsWeave = true;
      } else if ("run".equals(exporter)) {
        wantsRun = true;
      } else if ("otlp".equals(exporter)) {
        wantsOtlp = true;
      } else {
        AgentLog.warn("the " + exporter + " exporter is not available in this version; traces go to local files");
        wantsFile = true;
      }
    }
    if ("offline".equals(config.get(Keys.MODE))) {
      // WANDB_MODE=offline: local files, and the Weave calls kept in the spool for a later sync.
      sinks.add(new FileSink(config.tracesDir(), run, config.get(Keys.LOCAL_MAX_BYTES), config.get(Keys.FLUSH_INTERVAL_MS)));
      sinks.add(new WeaveSink(session(config), Version.get(), config.get(Keys.FLUSH_INTERVAL_MS),
          config.get(Keys.QUEUE_SIZE) * 4, weaveSpool(config), true, null));
      OtlpSettings otlp = wantsOtlp ? otlpSettings(config) : null;
      if (otlp != null && !otlp.weave()) {
        // Offline keeps traces off W&B; a collector of the user's own is still theirs to reach.
        sinks.add(otlpSink(config, otlp, null));
      }
      return sinks;
    }
    OtlpSettings otlp = wantsOtlp ? otlpSettings(config) : null;
    if (otlp != null && otlp.weave() && !config.get(Keys.ALLOW_INSECURE_HTTP)
        && WandbUrls.insecureOffLoopback(otlp.url())) {
      AgentLog.warn("refusing to send the API key over plain http to " + otlp.url() + " (not loopback); use https,"
          + " or set wandb.allow_insecure_http=true; the otlp exporter is off");
      otlp = null;
    }
    if (otlp != null) {
      sinks.add(otlpSink(config, otlp, otlp.weave() ? session(config) : null));
    }
    if ((wantsWeave || wantsRun) && config.apiKey() == null) {
      AgentLog.warn("wandb.exporters names " + (wantsWeave ? "weave" : "run") + " but no API key was found"
          + " (WANDB_API_KEY, wandb.api_key or ~/.netrc); traces go to local files");
      wantsWeave = false;
      wantsRun = false;
      wantsFile = true;
    }
    if ((wantsWeave || wantsRun) && !config.get(Keys.ALLOW_INSECURE_HTTP)) {
      String insecure = insecureUrl(config);
      if (insecure != null) {
        AgentLog.warn("refusing to send the API key over plain http to " + insecure + " (not loopback); use https,"
            + " or set wandb.allow_insecure_http=true; traces go to local files");
        wantsWeave = false;
        wantsRun = false;
        wantsFile = true;
      }
    }
    if (wantsFile) {
      sinks.add(new FileSink(config.tracesDir(), run, config.get(Keys.LOCAL_MAX_BYTES), config.get(Keys.FLUSH_INTERVAL_MS)));
    }
    if (wantsWeave || wantsRun) {
      WandbSession session = session(config);
      int flush = config.get(Keys.FLUSH_INTERVAL_MS);
      int queue = config.get(Keys.QUEUE_SIZE);
      RunSink runSink = null;
      if (wantsRun) {
        RunSettings settings = new RunSettings(run.name(), config.get(Keys.RUN_GROUP), config.get(Keys.TAGS),
            config.get(Keys.NOTES), System.getenv("HOSTNAME"), program());
        runSink = new RunSink(session, run, settings, Version.get(), exitCode, flush, queue,
            ManagementFactory.getRuntimeMXBean().getStartTime(), spoolRoot(config).resolve("run"),
            config.get(Keys.SPOOL_MAX_BYTES));
      }
      if (wantsWeave) {
        sinks.add(new WeaveSink(session, Version.get(), flush, queue * 4, weaveSpool(config), false,
            runSink == null ? null : runSink.link()));
      }
      if (runSink != null) {
        sinks.add(runSink);
      }
    }
    return sinks;
  }

  static OtlpSettings otlpSettings(AgentConfig config) {
    return OtlpSettings.from(config,
        WandbUrls.traceServerUrl(config.get(Keys.TRACE_SERVER_URL), config.get(Keys.BASE_URL),
            config.get(Keys.PUBLIC_BASE_URL)), Version.get());
  }

  /** For Weave the W&B session's client, with the key; for any other collector a client without it. */
  static OtlpSink otlpSink(AgentConfig config, OtlpSettings settings, WandbSession weave) {
    WandbHttp http = weave != null ? weave.http()
        : new WandbHttp(new UrlConnectionTransport(), null, "wandb-agent/" + Version.get(), Sleeper.REAL,
            settings.timeoutMillis());
    return new OtlpSink(settings, http, weave, Version.get(), config.get(Keys.CAPTURE_CONTENT),
        config.get(Keys.FLUSH_INTERVAL_MS), config.get(Keys.QUEUE_SIZE) * 4,
        new Spool(spoolRoot(config).resolve("otlp"), config.get(Keys.SPOOL_MAX_BYTES)));
  }

  /** The first W&B endpoint that is plain http off loopback, or null. */
  static String insecureUrl(AgentConfig config) {
    String apiUrl = config.get(Keys.BASE_URL);
    String traceServer = WandbUrls.traceServerUrl(config.get(Keys.TRACE_SERVER_URL), apiUrl,
        config.get(Keys.PUBLIC_BASE_URL));
    if (WandbUrls.insecureOffLoopback(apiUrl)) {
      return apiUrl;
    }
    return WandbUrls.insecureOffLoopback(traceServer) ? traceServer : null;
  }

  static boolean includesRun(List<Sink> sinks) {
    for (Sink sink : sinks) {
      if (sink instanceof RunSink) {
        return true;
      }
    }
    return false;
  }

  /** {@code <wandb.dir or the working directory>/wandb/spool}, next to the traces directory. */
  static Path spoolRoot(AgentConfig config) {
    return config.tracesDir().resolveSibling("spool");
  }

  static Spool weaveSpool(AgentConfig config) {
    return new Spool(spoolRoot(config).resolve("weave"), config.get(Keys.SPOOL_MAX_BYTES));
  }

  static WandbSession session(AgentConfig config) {
    return session(config, HTTP_TIMEOUT_MILLIS);
  }

  static WandbSession session(AgentConfig config, int timeoutMillis) {
    String apiUrl = config.get(Keys.BASE_URL);
    WandbHttp http = new WandbHttp(new UrlConnectionTransport(), config.apiKey(), "wandb-agent/" + Version.get(),
        Sleeper.REAL, timeoutMillis);
    String publicBaseUrl = config.get(Keys.PUBLIC_BASE_URL);
    return new WandbSession(http, apiUrl, publicBaseUrl,
        WandbUrls.traceServerUrl(config.get(Keys.TRACE_SERVER_URL), apiUrl, publicBaseUrl),
        config.get(Keys.PROJECT), config.get(Keys.ENTITY));
  }

  /** The main class or jar, from the launch command. */
  private static String program() {
    String command = System.getProperty("sun.java.command");
    return command == null || command.trim().isEmpty() ? null : command.trim().split("\\s+")[0];
  }
}
