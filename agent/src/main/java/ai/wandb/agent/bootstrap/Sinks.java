package ai.wandb.agent.bootstrap;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.config.AgentConfig;
import ai.wandb.agent.export.FileSink;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.Sink;
import java.util.ArrayList;
import java.util.List;

/** Builds the sinks that {@code wandb.exporters} names. */
final class Sinks {
  private Sinks() {}

  static List<Sink> create(AgentConfig config, RunInfo run) {
    List<Sink> sinks = new ArrayList<Sink>();
    boolean wantsFile = false;
    for (String exporter : config.exporters()) {
      if ("file".equals(exporter)) {
        wantsFile = true;
      } else {
        AgentLog.warn("the " + exporter + " exporter is not available in this version; traces go to local files");
        wantsFile = true;
      }
    }
    if (wantsFile) {
      sinks.add(new FileSink(config.tracesDir(), run));
    }
    return sinks;
  }
}
