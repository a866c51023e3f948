package ai.wandb.agent.bootstrap;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.CapturedValues;
import ai.wandb.agent.api.Redactor;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.Installer;
import ai.wandb.agent.config.AgentConfig;
import ai.wandb.agent.config.Keys;
import ai.wandb.agent.export.Exporter;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.Sink;
import ai.wandb.agent.export.cost.Pricing;
import ai.wandb.agent.otel.OtelCurrentSpan;
import java.lang.instrument.Instrumentation;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

/** Everything premain does, in order: configuration, sinks, exporter, instrumentation, shutdown hook. */
public final class AgentStarter {
  private AgentStarter() {}

  /** {@code atLaunch}: from premain (the app has not started), rather than attached to a running JVM. */
  public static void start(String agentArgs, Instrumentation instrumentation, boolean atLaunch) {
    long began = System.nanoTime();
    AgentConfig config = AgentConfig.load(agentArgs, System.getenv(), System.getProperties(),
        Paths.get(System.getProperty("user.home", ".")));
    if (!config.enabled()) {
      return;
    }
    if (System.getProperty(Attach.MARKER_PROPERTY) != null) {
      // A second agentmain (another attach tool): the first agent is the one tracing.
      AgentLog.warn("wandb-agent " + System.getProperty(Attach.MARKER_PROPERTY)
          + " already runs in this JVM; the agent loaded again does nothing");
      return;
    }
    // Lets `attach` refuse a JVM that already runs the agent, however it got there.
    System.setProperty(Attach.MARKER_PROPERTY, Version.get());
    AgentLog.setDebug(config.get(Keys.DEBUG));
    long configured = System.nanoTime();
    Tracer.setCaptureContent(config.get(Keys.CAPTURE_CONTENT));
    CapturedValues.configure(config.get(Keys.MAX_VALUE_CHARS),
        Redactor.of(config.redactPatterns(), Collections.singletonList(config.apiKey())));
    Pricing.configure(config.get(Keys.PRICING_FILE));
    long redaction = System.nanoTime();
    RunInfo run = new RunInfo(
        config.get(Keys.RUN_ID) != null ? config.get(Keys.RUN_ID) : RunInfo.newId(IdRandom.create()),
        config.get(Keys.NAME) != null ? config.get(Keys.NAME)
            : RunInfo.nameFromCommand(System.getProperty("sun.java.command")));
    List<Sink> sinks = Sinks.create(config, run, new ExitStatus());
    Exporter exporter = new Exporter(sinks, config.get(Keys.QUEUE_SIZE), config.get(Keys.FLUSH_INTERVAL_MS));
    Tracer.setListener(exporter);
    Tracer.setRemoteParent(new OtelCurrentSpan());
    long exporting = System.nanoTime();

    List<InstrumentationModule> modules = enabledModules(config);
    long discovered = System.nanoTime();
    if (atLaunch) {
      Installer.installAtLaunch(instrumentation, modules);
    } else {
      // Attached: the app's classes are loaded already; they are retransformed before agentmain returns.
      Installer.install(instrumentation, modules);
    }
    long installed = System.nanoTime();
    if (Sinks.includesRun(sinks)) {
      RuntimeExitInstrumentation.install(instrumentation);
    }
    Runtime.getRuntime().addShutdownHook(
        new Thread(new Shutdown(exporter, sinks, config.get(Keys.SHUTDOWN_TIMEOUT_MS)), "wandb-agent-shutdown"));
    AgentLog.info(StatusLines.start(Version.get(), modules, sinks));
    if (AgentLog.isDebug()) {
      // Where the agent's share of the app's startup goes (docs/performance.md), one line per start.
      long ended = System.nanoTime();
      // The thread's CPU time since the JVM started, read after premain: wall times on a busy machine mislead.
      long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      AgentLog.debug(String.format("premain took %.1f ms: configuration %.1f, redaction and pricing %.1f, sinks and"
              + " exporter %.1f, module discovery %.1f, installer %.1f, rest %.1f; this thread's CPU since the"
              + " JVM started: %.1f ms",
          millis(began, ended), millis(began, configured), millis(configured, redaction),
          millis(redaction, exporting), millis(exporting, discovered), millis(discovered, installed),
          millis(installed, ended), cpu / 1e6));
    }
  }

  private static double millis(long from, long to) {
    return (to - from) / 1e6;
  }

  private static List<InstrumentationModule> enabledModules(AgentConfig config) {
    List<InstrumentationModule> enabled = new ArrayList<InstrumentationModule>();
    ClassLoader loader = AgentStarter.class.getClassLoader();
    for (InstrumentationModule module : ServiceLoader.load(InstrumentationModule.class,
        loader != null ? loader : ClassLoader.getSystemClassLoader())) {
      if (!config.instrumentationEnabled(module.name())) {
        AgentLog.debug("instrumentation " + module.name() + " is off (wandb.instrumentation."
            + module.name() + ".enabled=false)");
        continue;
      }
      module.configure(name -> config.get(Keys.find(name)));
      // A module whose rules come from configuration (wandb.trace.methods) has nothing to do when unset.
      // Only such a module (one without a library to gate on) is asked here: the others' type
      // instrumentations are made by the installer, for a library the app has (Installer).
      if (!module.classLoaderMarkers().isEmpty() || !module.typeInstrumentations().isEmpty()) {
        enabled.add(module);
      }
    }
    return enabled;
  }

  /** At JVM exit: end what is still open, flush within the bound, say what happened. */
  private static final class Shutdown implements Runnable {
    private final Exporter exporter;
    private final List<Sink> sinks;
    private final long timeoutMillis;

    Shutdown(Exporter exporter, List<Sink> sinks, long timeoutMillis) {
      this.exporter = exporter;
      this.sinks = sinks;
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void run() {
      try {
        long began = System.nanoTime();
        Tracer.endAllOpen("the JVM exited before this span ended");
        exporter.shutdown(timeoutMillis);
        AgentLog.info(StatusLines.exit(exporter.stats(), sinks));
        // Every millisecond here is one in which an app thread can go back into native code (a selector's
        // epoll_wait), which HotSpot's exit then waits up to 300 ms for (docs/performance.md).
        if (AgentLog.isDebug()) {
          // Formatted only then: the exit path of every app pays for what runs here.
          AgentLog.debug(String.format("shutdown took %.1f ms", millis(began, System.nanoTime())));
          AgentLog.debug(Installer.costSummary());
        }
      } catch (Throwable t) {
        AgentLog.debug("shutdown: " + t);
      }
    }
  }
}
