package ai.wandb.agent.instrumentation.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ContentRetriever.retrieve(Query)} on LangChain4j's retrievers (embedding store, web search,
 * ...). The method is abstract on the interface, so only implementations can be hooked; a listening
 * wrapper around another retriever makes one span.
 */
final class ContentRetrieverInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return LangChain4jMatchers.interfaceAndLangChain4jImplementations("dev.langchain4j.rag.content.retriever.ContentRetriever", "rag");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(named("retrieve").and(takesArguments(1))
        .and(takesArgument(0, named("dev.langchain4j.rag.query.Query"))).and(not(isAbstract())), RetrieveAdvice.class));
  }

  public static final class RetrieveAdvice {
    private RetrieveAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.This Object retriever, @Advice.Argument(0) Object query) {
      return LangChain4jSpans.startRetriever(retriever, query);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object contents, @Advice.Thrown Throwable thrown) {
      Tracer.end(span, contents, thrown);
    }
  }
}
