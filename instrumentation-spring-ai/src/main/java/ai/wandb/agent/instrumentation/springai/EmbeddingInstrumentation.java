package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * {@code EmbeddingModel.call(EmbeddingRequest)} and the {@code embed(...)} / {@code embedForResponse(...)}
 * overloads (interface defaults and overrides) of every embedding model class.
 */
final class EmbeddingInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.implementationsOf("org.springframework.ai.embedding.EmbeddingModel",
        SpringAiInstrumentationModule.LIBRARY);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        MethodMatcher.named("call", "embed", "embedForResponse"), new MethodHook() {
          @Override
          public Object enter(HookSite site, Object model, Object[] arguments) {
            return arguments.length == 0 ? null : SpringAiSpans.startEmbedding(model, arguments[0]);
          }

          @Override
          public Object exit(HookSite site, Object state, Object model, Object returned, Throwable thrown) {
            if (state != null) {
              ((SpringAiSpans.Opened) state).close(returned, thrown);
            }
            return returned;
          }
        }));
  }
}
