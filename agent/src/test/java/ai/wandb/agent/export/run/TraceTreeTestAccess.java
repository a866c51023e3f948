package ai.wandb.agent.export.run;

import ai.wandb.agent.api.Span;

/** The layered LangChain4j-shaped trace of {@link TraceTreeTest}, for the Weave tests. */
public final class TraceTreeTestAccess {
  private TraceTreeTestAccess() {}

  public static Span layeredTrace() {
    return TraceTreeTest.layeredTrace();
  }
}
