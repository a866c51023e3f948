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
 * {@code ContentRetriever.retrieve(Query)} on every retriever class in any package (LangChain4j's,
 * its experimental and community modules', the application's). The method is abstract on the
 * interface, so only implementations can be hooked; lambdas are seen where LangChain4j calls them
 * ({@link RetrieverCallSiteInstrumentation}). A wrapper around another retriever makes one span.
 */
final class ContentRetrieverInstrumentation implements TypeInstrumentation {
  static final String CONTENT_RETRIEVER = "dev.langchain4j.rag.content.retriever.ContentRetriever";
  static final String QUERY = "dev.langchain4j.rag.query.Query";

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.implementationsOf(CONTENT_RETRIEVER, LangChain4jInstrumentationModule.LIBRARY);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(MethodMatcher.named("retrieve").takesArguments(1)
        .takesArgument(0, QUERY), new RetrieveHook()));
  }

  static final class RetrieveHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object retriever, Object[] arguments) {
      return LangChain4jSpans.startRetriever(retriever, arguments[0]);
    }

    @Override
    public Object exit(HookSite site, Object span, Object retriever, Object contents, Throwable thrown) {
      Tracer.end((Span) span, contents, thrown);
      return contents;
    }
  }
}
