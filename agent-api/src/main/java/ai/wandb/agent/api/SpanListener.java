package ai.wandb.agent.api;

/**
 * Receives spans from application threads. Implementations must return at once: they hand the span to
 * another thread and do nothing else (DESIGN §3, rule 1).
 */
public interface SpanListener {
  SpanListener NONE = new SpanListener() {
    @Override
    public void onStart(Span span) {}

    @Override
    public void onTraceEnd(Span root) {}
  };

  void onStart(Span span);

  /** Called once per trace, when the root and every span under it have ended. */
  void onTraceEnd(Span root);
}
