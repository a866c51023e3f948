package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * Inside {@code MonoDeferContextual.subscribe(CoreSubscriber)}, around its call of the factory
 * ({@code Function.apply}), woven in place: the Mono the factory made for a followed client call goes on
 * followed (see {@link DeferredCalls}); every other defer of the app is left as it is.
 */
final class DeferredSubscribeInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named(DeferredCalls.DEFER_CONTEXTUAL);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(MethodAdvice.aroundCalls(
        MethodMatcher.named("subscribe").takesArguments(1).takesArgument(0, "reactor.core.CoreSubscriber"),
        "java.util.function.Function", "apply", "(Ljava/lang/Object;)Ljava/lang/Object;", new FactoryHook()));
  }

  static final class FactoryHook implements MethodHook {
    @Override
    public void woven(HookSite site) {
      DeferredCalls.subscribeWoven = true;
    }

    @Override
    public Object exit(HookSite site, Object state, Object factory, Object made, Throwable thrown) {
      if (thrown != null) {
        return made;
      }
      try {
        return DeferredCalls.made(factory, made);
      } catch (Exception e) {
        return made;
      }
    }
  }
}
