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

  public static void start(String agentArgs, Instrumentation instrumentation) {
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
    Tracer.setCaptureContent(config.get(Keys.CAPTURE_CONTENT));
    CapturedValues.configure(config.get(Keys.MAX_VALUE_CHARS),
        Redactor.of(config.redactPatterns(), Collections.singletonList(config.apiKey())));
    Pricing.configure(config.get(Keys.PRICING_FILE));
    RunInfo run = new RunInfo(
        config.get(Keys.RUN_ID) != null ? config.get(Keys.RUN_ID) : RunInfo.newId(IdRandom.create()),
        config.get(Keys.NAME) != null ? config.get(Keys.NAME)
            : RunInfo.nameFromCommand(System.getProperty("sun.java.command")));
    List<Sink> sinks = Sinks.create(config, run, new ExitStatus());
    Exporter exporter = new Exporter(sinks, config.get(Keys.QUEUE_SIZE), config.get(Keys.FLUSH_INTERVAL_MS));
    Tracer.setListener(exporter);
    Tracer.setRemoteParent(new OtelCurrentSpan());

    List<InstrumentationModule> modules = enabledModules(config);
    Installer.install(instrumentation, modules);
    if (Sinks.includesRun(sinks)) {
      RuntimeExitInstrumentation.install(instrumentation);
    }
    Runtime.getRuntime().addShutdownHook(
        new Thread(new Shutdown(exporter, sinks, config.get(Keys.SHUTDOWN_TIMEOUT_MS)), "wandb-agent-shutdown"));
    AgentLog.info(StatusLines.start(Version.get(), modules, sinks));
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
      if (!module.typeInstrumentations().isEmpty()) {
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
        Tracer.endAllOpen("the JVM exited before this span ended");
        exporter.shutdown(timeoutMillis);
        AgentLog.info(StatusLines.exit(exporter.stats(), sinks));
      } catch (Throwable t) {
        AgentLog.debug("shutdown: " + t);
      }
    }
  }
}
