package ai.wandb.agent.bench;

import java.nio.file.Path;
import java.util.List;

/** What a measured JVM runs with. */
enum AgentVariant {
    NONE("none"),
    /** {@link NoopTransformerAgent}: what registering any class-file transformer costs. */
    NOOP("no-op transformer"),
    WANDB("wandb-agent"),
    OTEL("OpenTelemetry agent");

    final String label;

    AgentVariant(String label) {
        this.label = label;
    }

    /** The JVM flags of this variant (the OpenTelemetry agent with its exporters off). */
    List<String> flags(Path agentJar, Path otelJar) {
        return switch (this) {
            case NONE -> List.of();
            case NOOP -> List.of("-javaagent:" + NoopTransformerAgent.jar());
            case WANDB -> List.of("-javaagent:" + agentJar);
            case OTEL -> List.of("-javaagent:" + otelJar, "-Dotel.traces.exporter=none",
                    "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none");
        };
    }
}
