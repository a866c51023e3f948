package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.IdentityWeakMap;
import ai.wandb.agent.api.Reflect;

/**
 * The Mono an {@code McpAsyncClient} call returns is the app's as the SDK made it: Reactor's
 * {@code MonoDeferContextual} ({@code LifecycleInitializer.withInitialization}, 1.0 to 2.x), whose
 * {@code subscribe} asks its factory for the Mono that does the call, once per subscription. That factory is
 * remembered here by identity, and the Mono it hands out inside {@code subscribe} is the one followed (see
 * {@link DeferredSubscribeInstrumentation}): so the app's {@code getClass()}, {@code toString()} and equality
 * of what it holds are the SDK's own, and a Mono the app builds on it is built on the SDK's.
 */
final class DeferredCalls {
  static final String DEFER_CONTEXTUAL = "reactor.core.publisher.MonoDeferContextual";
  private static final Reflect.PrivateField FACTORY = new Reflect.PrivateField("contextualMonoFactory");
  /** By factory, which the returned Mono holds; a call refers to the client and its request, never to the factory. */
  private static final IdentityWeakMap<MonoObserver> BY_FACTORY = IdentityWeakMap.strongValues();
  /** Set when Reactor's class was woven: until then (a Reactor in a loader the module does not reach) nothing is followed here. */
  static volatile boolean subscribeWoven;

  private DeferredCalls() {}

  /** True when {@code mono} is followed from inside its own {@code subscribe}; false when it cannot be. */
  static boolean follow(Object mono, MonoObserver call) {
    if (!subscribeWoven || mono == null || !mono.getClass().getName().equals(DEFER_CONTEXTUAL)) {
      return false;
    }
    Object factory = FACTORY.read(mono);
    if (factory == null) {
      // a Reactor without the field, or one whose module keeps it closed
      return false;
    }
    BY_FACTORY.put(factory, call);
    return true;
  }

  /**
   * What a {@code MonoDeferContextual}'s subscription goes on with, given what its factory made: for a followed
   * call, that Mono followed (see {@link Monos}), else that very Mono.
   */
  static Object made(Object factory, Object mono) throws Exception {
    MonoObserver call = BY_FACTORY.get(factory);
    Object observed = call == null ? null : Monos.observed(mono, call);
    return observed != null ? observed : mono;
  }
}
