package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.List;

/**
 * Up to 1.10, {@code EmbeddingModel} has one abstract method, {@code embedAll(List)}, so an app may write
 * its model as a lambda, whose class no transformer sees. Its {@code embed(...)} calls run through the
 * interface's woven defaults; the direct {@code embedAll} calls LangChain4j makes are hooked where they are
 * made, with the same hook as a model's own methods: {@code EmbeddingStoreIngestor.ingest} and the
 * constructor lambda of {@code EmbeddingModelTextClassifier}. A woven model called there makes no second
 * span (see {@link LangChain4jSpans#startEmbedding}).
 */
final class EmbeddingCallSiteInstrumentation implements TypeInstrumentation {
  private static final String EMBEDDING_MODEL = "dev.langchain4j.model.embedding.EmbeddingModel";
  private static final String EMBED_ALL = "(Ljava/util/List;)Ldev/langchain4j/model/output/Response;";

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("dev.langchain4j.store.embedding.EmbeddingStoreIngestor",
        "dev.langchain4j.classification.EmbeddingModelTextClassifier");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    EmbeddingModelInstrumentation.EmbedHook hook = new EmbeddingModelInstrumentation.EmbedHook();
    return Arrays.asList(
        MethodAdvice.aroundCalls(MethodMatcher.named("ingest"), EMBEDDING_MODEL, "embedAll", EMBED_ALL, hook),
        MethodAdvice.aroundCalls(MethodMatcher.namedStartingWith("lambda$new$"), EMBEDDING_MODEL, "embedAll",
            EMBED_ALL, hook));
  }
}
