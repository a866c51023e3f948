package ai.wandb.agent.api;

/** What a span stands for; sinks map it to their own notion (Weave call kind, trace-tree span kind). */
public enum SpanKind {
  AGENT,
  CHAIN,
  LLM,
  TOOL,
  RETRIEVER,
  EMBEDDING
}
