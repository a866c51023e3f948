package ai.wandb.agent.instrumentation.executors;

import ai.wandb.agent.api.instrumentation.BridgeAdvice;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** One JDK class with its hand-off and run points (bridged advice only: the class cannot see the agent). */
final class JdkClassInstrumentation implements TypeInstrumentation {
  private final String className;
  private final List<BridgeAdvice> advice;

  JdkClassInstrumentation(String className, BridgeAdvice... advice) {
    this.className = className;
    this.advice = Arrays.asList(advice);
  }

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named(className);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.emptyList();
  }

  @Override
  public List<BridgeAdvice> bridgeAdvice() {
    return advice;
  }
}
