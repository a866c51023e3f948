package ai.wandb.agent.bootstrap;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.export.ExportStats;
import ai.wandb.agent.export.Sink;
import java.util.List;

/** The one line at start and the one line at exit (DESIGN §6). */
final class StatusLines {
  private StatusLines() {}

  static String start(String version, List<InstrumentationModule> modules, List<Sink> sinks) {
    StringBuilder line = new StringBuilder("wandb-agent ").append(version).append(" tracing ");
    if (modules.isEmpty()) {
      line.append("nothing (every instrumentation is off)");
    }
    // A library may come as several modules under one name (one per namespace, e.g. javax and jakarta).
    java.util.Set<String> named = new java.util.LinkedHashSet<String>();
    for (InstrumentationModule module : modules) {
      named.add(module.name());
    }
    line.append(String.join(", ", named));
    line.append(sinks.isEmpty() ? "; no sink, traces are discarded" : "; traces go to ");
    for (int i = 0; i < sinks.size(); i++) {
      Sink sink = sinks.get(i);
      line.append(i == 0 ? "" : ", ").append(sink.name());
      if (sink.location() != null) {
        line.append(' ').append(sink.location());
      }
    }
    return line.toString();
  }

  static String exit(ExportStats stats, List<Sink> sinks) {
    StringBuilder line = new StringBuilder("exported ")
        .append(stats.tracesExported()).append(" trace(s), ")
        .append(stats.spansExported()).append(" span(s); dropped ")
        .append(stats.tracesDropped());
    if (stats.exportFailures() > 0) {
      line.append("; ").append(stats.exportFailures()).append(" failed export(s)");
    }
    for (Sink sink : sinks) {
      String location = sink.exitLocation();
      if (location != null) {
        line.append("; ").append(sink.name()).append(": ").append(location);
      }
    }
    for (Sink sink : sinks) {
      String note = sink.exitNote();
      if (note != null) {
        line.append("; ").append(note);
      }
    }
    return line.toString();
  }
}
