package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * Up to 1.10, {@code EmbeddingModel} has one abstract method, {@code embedAll(List)}, so an app may write
 * its model as a lambda, whose class no transformer sees. Its {@code embed(...)} calls run through the
 * interface's woven defaults; the direct {@code embedAll} call of ingestion,
 * {@code EmbeddingStoreIngestor.ingest(List)} (1.0 to 1.10 alike), is hooked where it is made, with the same
 * hook as a model's own methods. A woven model called there makes no second span (see
 * {@link LangChain4jSpans#startEmbedding}).
 */
final class EmbeddingCallSiteInstrumentation implements TypeInstrumentation {
  private static final String EMBEDDING_MODEL = "dev.langchain4j.model.embedding.EmbeddingModel";
  private static final String EMBED_ALL = "(Ljava/util/List;)Ldev/langchain4j/model/output/Response;";

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("dev.langchain4j.store.embedding.EmbeddingStoreIngestor");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(MethodAdvice.aroundCalls(MethodMatcher.named("ingest"), EMBEDDING_MODEL,
        "embedAll", EMBED_ALL, new EmbeddingModelInstrumentation.EmbedHook()));
  }
}
