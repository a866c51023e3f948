package ai.wandb.agent.api;

/**
 * Turns the library objects a span holds by reference into JSON-ready values. It runs on the exporter
 * thread, never on the application's, so it may be as slow as it needs to be; it must not throw.
 */
public interface SpanRenderer {
  /** Fills inputs and request attributes from {@link Span#request()}; called once, soon after start. */
  void renderStart(Span span);

  /** Fills outputs, response attributes and usage from {@link Span#response()}; called once after end. */
  void renderEnd(Span span);
}
