package ai.wandb.agent.api.instrumentation;

import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** One instrumented type: a name-based matcher and the advice applied to its methods. */
public interface TypeInstrumentation {
  ElementMatcher<TypeDescription> typeMatcher();

  List<MethodAdvice> methodAdvice();
}
