package ai.wandb.agent.bench;

/** What a measured JVM runs with. */
enum AgentVariant {
    NONE("none"),
    WANDB("wandb-agent"),
    OTEL("OpenTelemetry agent");

    final String label;

    AgentVariant(String label) {
        this.label = label;
    }
}
