package ai.wandb.agent.api.instrumentation;

/**
 * What a bridged site runs (see {@link BridgeAdvice}): one value in, one out. Called on the
 * application's thread from inside JDK code, so it must be a few field reads and writes; whatever it
 * throws is swallowed by {@link Hooks#bridge}.
 */
public interface BridgeHook {
  Object apply(Object value);
}
