package ai.wandb.agent.bootstrap;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.config.AgentConfig;
import ai.wandb.agent.config.Keys;
import ai.wandb.agent.export.http.HttpResult;
import ai.wandb.agent.export.http.RetryPolicy;
import ai.wandb.agent.export.http.Sleeper;
import ai.wandb.agent.export.http.UrlConnectionTransport;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.otlp.OtlpProbe;
import ai.wandb.agent.export.otlp.OtlpSettings;
import ai.wandb.agent.export.wandb.GraphqlClient;
import ai.wandb.agent.export.wandb.WandbApiException;
import ai.wandb.agent.export.wandb.WandbSession;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;

/**
 * {@code java -jar wandb-agent.jar doctor [key=value,...] [--classpath <path>]}: reads the configuration the
 * agent would read (so run it with the app's environment, -D flags and agent arguments) and checks, one line each, what stands between a
 * traced call and each sink. Exit status 0 when traces would reach every configured sink, 1 otherwise.
 */
final class Doctor {
  private final PrintStream out;
  private boolean healthy = true;

  private Doctor(PrintStream out) {
    this.out = out;
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String classPath = null;
    String agentArgs = null;
    for (int i = 1; i < args.length; i++) {
      if ("--classpath".equals(args[i]) && i + 1 < args.length) {
        classPath = args[++i];
      } else if (agentArgs == null && !args[i].startsWith("-")) {
        agentArgs = args[i];
      } else {
        err.println("usage: java -jar wandb-agent.jar doctor [key=value,...] [--classpath <app.jar"
            + File.pathSeparator + "...>]");
        return 2;
      }
    }
    AgentConfig config = AgentConfig.load(agentArgs, System.getenv(), System.getProperties(),
        Paths.get(System.getProperty("user.home", ".")));
    Doctor doctor = new Doctor(out);
    doctor.check(config, classPath);
    return doctor.healthy ? 0 : 1;
  }

  private void check(AgentConfig config, String classPath) {
    if (!config.enabled()) {
      fail("agent", "off (wandb.enabled=false or WANDB_MODE=disabled): nothing is traced", "unset it");
      return;
    }
    List<String> exporters = config.exporters();
    boolean offline = "offline".equals(config.mode());
    boolean toWandb = !offline && (exporters.contains("weave") || exporters.contains("run"));
    if (config.apiKey() != null) {
      ok("API key", "found in " + config.apiKeySource() + " (not shown)");
    } else if (toWandb) {
      fail("API key", "none found, so traces go to local files instead of W&B",
          "set WANDB_API_KEY, or add the key to ~/.netrc (wandb login)");
      toWandb = false;
    } else {
      info("API key", "none found: traces go to local files (" + config.tracesDir() + ")");
    }
    if (toWandb) {
      checkWandb(config, exporters.contains("weave"));
    }
    if (exporters.contains("otlp")) {
      checkOtlp(config, offline);
    }
    for (String exporter : exporters) {
      if (!exporter.equals("file") && !exporter.equals("weave") && !exporter.equals("run")
          && !exporter.equals("otlp")) {
        fail(exporter + " exporter", "not available in this version; its traces go to local files",
            "remove it from wandb.exporters");
      }
    }
    if (offline || !toWandb || exporters.contains("file")) {
      checkWritable(config.tracesDir());
    }
    checkSpool(Sinks.spoolRoot(config));
    if (classPath != null) {
      checkClassPath(config, classPath);
    }
    out.println(healthy ? "verdict: traces would reach every configured sink (exit 0)"
        : "verdict: some traces would not reach where they are meant to go (exit 1)");
  }

  private void checkWandb(AgentConfig config, boolean weave) {
    String insecure = Sinks.insecureUrl(config);
    if (insecure != null && !config.get(Keys.ALLOW_INSECURE_HTTP)) {
      fail("W&B", "the agent refuses to send the key over plain http to " + insecure,
          "use https, or set wandb.allow_insecure_http=true");
      return;
    }
    WandbSession session = Sinks.session(config, 10000);
    String entity;
    try {
      // One attempt: the doctor reports what it sees instead of waiting through the sinks' retries.
      String viewer = new GraphqlClient(session.http(), session.apiUrl(), 1).viewerEntity();
      ok("W&B API", session.apiUrl() + " reachable, key accepted");
      entity = config.get(Keys.ENTITY) != null ? config.get(Keys.ENTITY) : viewer;
    } catch (WandbApiException e) {
      if (e.status() == 401 || e.status() == 403 || e.status() == 200) {
        fail("W&B API", session.apiUrl() + " reachable, but the key was not accepted (" + e.getMessage() + ")",
            "check the key from " + config.apiKeySource() + " at " + session.appUrl() + "/authorize");
      } else {
        fail("W&B API", session.apiUrl() + " answered " + e.status() + ": " + e.getMessage(),
            "check wandb.base_url; retry later if W&B is down (traces wait in the spool meanwhile)");
      }
      return;
    } catch (IOException e) {
      fail("W&B API", session.apiUrl() + " unreachable: " + e,
          "check wandb.base_url and the network or proxy; traces wait in the spool meanwhile");
      return;
    }
    ok("entity/project", entity + "/" + config.get(Keys.PROJECT)
        + (config.get(Keys.ENTITY) == null ? " (the key's default entity)" : ""));
    if (weave) {
      String url = session.traceServerUrl() + "/server_info";
      try {
        HttpResult result = session.http().get(url, RetryPolicy.wandb(1));
        if (result.ok()) {
          ok("trace server", session.traceServerUrl() + " reachable");
        } else {
          fail("trace server", session.traceServerUrl() + " answered " + result.describe(),
              "check wf.trace_server_url (WF_TRACE_SERVER_URL)");
        }
      } catch (IOException e) {
        fail("trace server", session.traceServerUrl() + " unreachable: " + e,
            "check wf.trace_server_url (WF_TRACE_SERVER_URL) and the network");
      }
    }
  }

  private void checkOtlp(AgentConfig config, boolean offline) {
    OtlpSettings settings = Sinks.otlpSettings(config);
    if (settings.weave() && offline) {
      info("OTLP", "WANDB_MODE=offline keeps traces off Weave's OTLP endpoint; set OTEL_EXPORTER_OTLP_ENDPOINT for a"
          + " collector of your own");
      return;
    }
    String projectId = null;
    WandbHttp http;
    if (settings.weave()) {
      WandbSession session = Sinks.session(config, 10000);
      try {
        String entity = config.get(Keys.ENTITY) != null ? config.get(Keys.ENTITY) : session.entity();
        projectId = entity + "/" + config.get(Keys.PROJECT);
      } catch (IOException e) {
        fail("OTLP", "Weave's OTLP endpoint needs the entity, which W&B did not give: " + e.getMessage(),
            "fix the W&B API check above, or set wandb.entity (WANDB_ENTITY)");
        return;
      }
      http = session.http();
    } else {
      http = new WandbHttp(new UrlConnectionTransport(), null, "wandb-agent/" + Version.get(), Sleeper.REAL,
          settings.timeoutMillis());
    }
    String problem = OtlpProbe.problem(http, settings, projectId);
    String target = settings.weave() ? "Weave's OTLP endpoint " : "collector ";
    if (problem == null) {
      ok("OTLP", target + displayUrl(settings.url()) + " took an empty export request");
    } else {
      fail("OTLP", target + displayUrl(settings.url()) + ": " + problem, settings.weave()
          ? "check the trace server (WF_TRACE_SERVER_URL) and the key"
          : "check OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and ..._HEADERS;"
              + " traces wait in the spool meanwhile");
    }
  }

  /** Without the query, where a collector's URL may carry a token. */
  private static String displayUrl(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private void checkWritable(Path tracesDir) {
    Path existing = tracesDir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && Files.isDirectory(existing) && Files.isWritable(existing)) {
      ok("local files", tracesDir + " writable");
    } else {
      fail("local files", tracesDir + " is not writable", "set wandb.dir (WANDB_DIR) to a writable directory");
    }
  }

  private void checkSpool(Path spool) {
    int files = 0;
    FileTime oldest = null;
    if (Files.isDirectory(spool)) {
      try (Stream<Path> paths = Files.walk(spool)) {
        for (Path path : (Iterable<Path>) paths::iterator) {
          if (Files.isRegularFile(path) && !path.getFileName().toString().endsWith(".lock")) {
            files++;
            FileTime modified = Files.getLastModifiedTime(path);
            oldest = oldest == null || modified.compareTo(oldest) < 0 ? modified : oldest;
          }
        }
      } catch (IOException e) {
        info("spool", spool + " cannot be read: " + e);
        return;
      }
    }
    if (files == 0) {
      info("spool", spool + " holds nothing waiting to be sent");
    } else {
      info("spool", spool + " holds " + files + " file(s) waiting to be sent, the oldest from " + oldest
          + "; the agent sends them on its next start, or run: java -jar wandb-agent.jar sync");
    }
  }

  /** Which modules would trace an app with this class path: their marker classes, looked up by name. */
  private void checkClassPath(AgentConfig config, String classPath) {
    Set<String> resources = new HashSet<String>();
    for (String entry : classPath.split(File.pathSeparator)) {
      try {
        collect(Paths.get(entry), resources);
      } catch (IOException e) {
        info("class path", entry + " cannot be read: " + e.getMessage());
      }
    }
    // By name: a library may come as several modules under one name (javax and jakarta servlets), active
    // when any of them is; the reasons of the others are joined.
    Set<String> active = new LinkedHashSet<String>();
    Map<String, String> inactive = new LinkedHashMap<String, String>();
    for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class,
        Doctor.class.getClassLoader())) {
      String reason = null;
      if (!config.instrumentationEnabled(module.name())) {
        reason = "switched off";
      } else {
        module.configure(name -> config.get(Keys.find(name)));
        if (module.typeInstrumentations().isEmpty()) {
          reason = "nothing configured";
        }
        for (String marker : module.classLoaderMarkers()) {
          if (reason == null && !resources.contains(marker.replace('.', '/') + ".class")) {
            reason = "no " + marker;
          }
        }
      }
      if (reason == null) {
        active.add(module.name());
      } else {
        String earlier = inactive.get(module.name());
        inactive.put(module.name(), earlier == null || earlier.equals(reason) ? reason
            : earlier + " nor " + (reason.startsWith("no ") && earlier.startsWith("no ") ? reason.substring(3) : reason));
      }
    }
    List<String> not = new ArrayList<String>();
    for (Map.Entry<String, String> entry : inactive.entrySet()) {
      if (!active.contains(entry.getKey())) {
        not.add(entry.getKey() + " (" + entry.getValue() + ")");
      }
    }
    info("instrumentations", (active.isEmpty() ? "none would trace this class path" : "would trace: "
        + String.join(", ", active)) + (not.isEmpty() ? "" : "; not: " + String.join(", ", not)));
  }

  /** Resource names in a directory or jar, including the jars nested in a Spring Boot or WAR archive. */
  private static void collect(Path entry, Set<String> resources) throws IOException {
    if (Files.isDirectory(entry)) {
      try (Stream<Path> paths = Files.walk(entry)) {
        for (Path path : (Iterable<Path>) paths::iterator) {
          resources.add(entry.relativize(path).toString().replace(File.separatorChar, '/'));
        }
      }
      return;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry jarEntry = entries.nextElement();
        String name = jarEntry.getName();
        resources.add(name);
        if (name.endsWith(".jar")) {
          try (InputStream in = jar.getInputStream(jarEntry); JarInputStream nested = new JarInputStream(in)) {
            for (JarEntry inner = nested.getNextJarEntry(); inner != null; inner = nested.getNextJarEntry()) {
              resources.add(inner.getName());
            }
          }
        }
        String prefix = name.startsWith("BOOT-INF/classes/") ? "BOOT-INF/classes/"
            : name.startsWith("WEB-INF/classes/") ? "WEB-INF/classes/" : null;
        if (prefix != null) {
          resources.add(name.substring(prefix.length()));
        }
      }
    }
  }

  private void ok(String check, String detail) {
    out.println("OK    " + check + ": " + detail);
  }

  private void info(String check, String detail) {
    out.println("INFO  " + check + ": " + detail);
  }

  private void fail(String check, String detail, String fix) {
    healthy = false;
    out.println("FAIL  " + check + ": " + detail + "; fix: " + fix);
  }
}
