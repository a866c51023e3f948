package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.instrumentation.FollowedDefers;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;

/**
 * The Mono an {@code McpAsyncClient} call returns is the app's as the SDK made it: Reactor's
 * {@code MonoDeferContextual} ({@code LifecycleInitializer.withInitialization}, 1.0 to 2.x), whose
 * {@code subscribe} asks its factory for the Mono that does the call, once per subscription. That defer is
 * followed ({@link FollowedDefers}) and the Mono its factory hands out is the one observed (see
 * {@link Monos}): so the app's {@code getClass()}, {@code toString()} and equality of what it holds are the
 * SDK's own, and a Mono the app builds on it is built on the SDK's.
 */
final class DeferredCalls {
  private static final String DEFER_CONTEXTUAL = "reactor.core.publisher.MonoDeferContextual";

  private DeferredCalls() {}

  /** Woven into Reactor's class: until then (a Reactor in a loader the module does not reach) nothing is followed. */
  static TypeInstrumentation subscribe() {
    return FollowedDefers.subscribe(DEFER_CONTEXTUAL, "contextualMonoFactory");
  }

  /** True when {@code mono} is followed from inside its own {@code subscribe}; false when it cannot be. */
  static boolean follow(Object mono, final MonoObserver call) {
    return FollowedDefers.follow(mono, new FollowedDefers.Follower() {
      @Override
      public Span span() {
        // The call's span starts when the made Mono is subscribed (Monos), not before.
        return null;
      }

      @Override
      public Object made(Object made) {
        try {
          Object observed = Monos.observed(made, call);
          return observed != null ? observed : made;
        } catch (Exception e) {
          return made;
        }
      }

      @Override
      public void failed(Throwable thrown) {
        // Nothing was observed yet: the app gets the factory's exception as it would without the agent.
      }
    });
  }
}
