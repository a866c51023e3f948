package ai.wandb.agent.instrumentation.methods;

import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;

/** Advice for one declared method, matched by name and exact argument types so overloads get their own span. */
final class MethodAdvices {
  private MethodAdvices() {}

  static MethodAdvice exactly(DeclaredMethods.Method method, MethodHook hook) {
    String[] types = method.argumentTypeNames();
    MethodMatcher matcher = MethodMatcher.named(method.name).takesArguments(types.length);
    for (int i = 0; i < types.length; i++) {
      matcher = matcher.takesArgument(i, types[i]);
    }
    return new MethodAdvice(matcher, hook);
  }
}
