package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.List;

/**
 * Where {@code DefaultRetrievalAugmentor} (1.0.0 to 1.19.x) calls its retrievers, so that retrievers
 * whose own class cannot be woven (lambdas and method references: the JVM never hands their classes to
 * a transformer) make a span too, whichever query router chose them. Each {@code retriever.retrieve(query)}
 * call is hooked in place, with the same hook as a retriever's own method; a woven retriever called there
 * makes no second span (see {@link LangChain4jSpans#startRetriever}).
 *
 * <ul>
 *   <li>One query routed to one retriever: {@code process(queries)} calls it inline.
 *   <li>Several retrievers or queries: each runs on the augmentor's executor in a compiler-made
 *       {@code lambda$retrieveFromAll$N(ContentRetriever, Query)}, whose number differs between versions.
 * </ul>
 */
final class RetrieverCallSiteInstrumentation implements TypeInstrumentation {
  private static final String RETRIEVE = "(Ldev/langchain4j/rag/query/Query;)Ljava/util/List;";

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("dev.langchain4j.rag.DefaultRetrievalAugmentor");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    ContentRetrieverInstrumentation.RetrieveHook hook = new ContentRetrieverInstrumentation.RetrieveHook();
    return Arrays.asList(
        MethodAdvice.aroundCalls(MethodMatcher.named("process").takesArguments(1),
            ContentRetrieverInstrumentation.CONTENT_RETRIEVER, "retrieve", RETRIEVE, hook),
        MethodAdvice.aroundCalls(MethodMatcher.namedStartingWith("lambda$retrieveFromAll$"),
            ContentRetrieverInstrumentation.CONTENT_RETRIEVER, "retrieve", RETRIEVE, hook));
  }
}
