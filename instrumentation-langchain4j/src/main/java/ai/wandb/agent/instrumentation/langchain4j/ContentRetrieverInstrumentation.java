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
 * {@code ContentRetriever.retrieve(Query)} on LangChain4j's retrievers (embedding store, web search,
 * ...). The method is abstract on the interface, so only implementations can be hooked; a listening
 * wrapper around another retriever makes one span.
 */
final class ContentRetrieverInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.interfaceAndImplementations("dev.langchain4j.rag.content.retriever.ContentRetriever",
        "dev.langchain4j.rag", "dev.langchain4j.community.rag");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(MethodMatcher.named("retrieve").takesArguments(1)
        .takesArgument(0, "dev.langchain4j.rag.query.Query"), new RetrieveHook()));
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
