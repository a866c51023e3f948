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
 * {@code VectorStore.similaritySearch(SearchRequest | String)} of every vector store, and
 * {@code DocumentRetriever.retrieve(Query)} of every document retriever (the RAG module's and the app's).
 */
final class RetrievalInstrumentation implements TypeInstrumentation {
  static final String VECTOR_STORE = "org.springframework.ai.vectorstore.VectorStore";
  static final String DOCUMENT_RETRIEVER = "org.springframework.ai.rag.retrieval.search.DocumentRetriever";

  private final String type;

  RetrievalInstrumentation(String type) {
    this.type = type;
  }

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.implementationsOf(type, SpringAiInstrumentationModule.LIBRARY);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    MethodMatcher methods = type.equals(VECTOR_STORE)
        ? MethodMatcher.named("similaritySearch").takesArguments(1)
        : MethodMatcher.named("retrieve").takesArguments(1).takesArgument(0, "org.springframework.ai.rag.Query");
    return Collections.singletonList(new MethodAdvice(methods, new MethodHook() {
      @Override
      public Object enter(HookSite site, Object component, Object[] arguments) {
        return SpringAiSpans.startRetriever(component, arguments[0]);
      }

      @Override
      public Object exit(HookSite site, Object state, Object component, Object returned, Throwable thrown) {
        if (state != null) {
          ((SpringAiSpans.Opened) state).close(returned, thrown);
        }
        return returned;
      }
    }));
  }
}
