package ai.wandb.agent.api.instrumentation;

import java.util.List;

/** One instrumented type: which classes (by name) and the advice applied to their methods. */
public interface TypeInstrumentation {
  TypeMatcher typeMatcher();

  List<MethodAdvice> methodAdvice();
}
