package ai.wandb.agent.api.instrumentation;

import java.util.Collections;
import java.util.List;

/** One instrumented type: which classes (by name) and the advice applied to their methods. */
public interface TypeInstrumentation {
  TypeMatcher typeMatcher();

  List<MethodAdvice> methodAdvice();

  /**
   * Advice that reaches the agent without linking to it. The only advice a JDK class on the bootstrap
   * loader may get: the installer takes such a class when this list is not empty and the matcher names
   * it exactly (see {@link Installer}).
   */
  default List<BridgeAdvice> bridgeAdvice() {
    return Collections.emptyList();
  }
}
