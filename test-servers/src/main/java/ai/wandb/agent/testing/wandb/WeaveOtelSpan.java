package ai.wandb.agent.testing.wandb;

import ai.wandb.agent.testing.otlp.ReceivedSpan;

/** One span the trace server's OTLP endpoint accepted, and the project it was routed to. */
public record WeaveOtelSpan(String projectId, ReceivedSpan span) {}
