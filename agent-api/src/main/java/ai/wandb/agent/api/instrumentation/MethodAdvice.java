package ai.wandb.agent.api.instrumentation;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Advice class applied to the methods a matcher selects. */
public final class MethodAdvice {
  private final ElementMatcher<? super MethodDescription> methods;
  private final Class<?> advice;

  public MethodAdvice(ElementMatcher<? super MethodDescription> methods, Class<?> advice) {
    this.methods = methods;
    this.advice = advice;
  }

  public ElementMatcher<? super MethodDescription> methods() {
    return methods;
  }

  public Class<?> advice() {
    return advice;
  }
}
