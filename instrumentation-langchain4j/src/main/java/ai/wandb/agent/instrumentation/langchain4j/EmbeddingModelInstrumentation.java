package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * {@code EmbeddingModel.embed(String | TextSegment | EmbeddingRequest)}, {@code embedAll(List)} and
 * (1.18+) {@code doEmbed(EmbeddingRequest)}: the defaults on the interface (so {@code embed(...)} of
 * any model, the application's own included, is seen) and LangChain4j's implementations. These call
 * each other in both directions across versions; only the outermost makes a span.
 */
final class EmbeddingModelInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.implementationsOf("dev.langchain4j.model.embedding.EmbeddingModel",
        LangChain4jInstrumentationModule.LIBRARY);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        MethodMatcher.named("embed", "embedAll", "doEmbed").takesArguments(1), new EmbedHook()));
  }

  static final class EmbedHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object model, Object[] arguments) {
      return LangChain4jSpans.startEmbedding(model, arguments[0]);
    }

    @Override
    public Object exit(HookSite site, Object span, Object model, Object response, Throwable thrown) {
      Tracer.end((Span) span, response, thrown);
      return response;
    }
  }
}
