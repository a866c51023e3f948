package ai.wandb.agent.instrumentation.mcp;

/** What a span following a Reactor {@code Mono} hears of it (see {@link Monos}); never throws. */
interface MonoObserver {
  void subscribed();

  void succeeded(Object result);

  void failed(Throwable error);

  void cancelled();
}
