package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where {@code DefaultRetrievalAugmentor} (1.0.0 to 1.19.x) calls its retrievers, so that retrievers
 * whose own class cannot be woven (lambdas and method references: the JVM never hands their classes to
 * a transformer) make a span too. A woven retriever called there makes no second span (see
 * {@link LangChain4jSpans#startRetriever}).
 *
 * <ul>
 *   <li>Several retrievers: each runs on the augmentor's executor in a compiler-made
 *       {@code lambda$retrieveFromAll$N(ContentRetriever, Query)}, whose number differs between versions.
 *   <li>One query and a {@code DefaultQueryRouter} with one retriever (what {@code AiServices.contentRetriever}
 *       builds): {@code process(queries)} calls it in its body; the span covers that method, whose other
 *       work is reading the router's list.
 * </ul>
 */
final class RetrieverCallSiteInstrumentation implements TypeInstrumentation {
  private static final String DEFAULT_QUERY_ROUTER = "dev.langchain4j.rag.query.router.DefaultQueryRouter";

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("dev.langchain4j.rag.DefaultRetrievalAugmentor");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    String[] fanOutNames = new String[16];
    for (int i = 0; i < fanOutNames.length; i++) {
      fanOutNames[i] = "lambda$retrieveFromAll$" + i;
    }
    return Arrays.asList(
        new MethodAdvice(MethodMatcher.named(fanOutNames).takesArguments(2)
            .takesArgument(0, ContentRetrieverInstrumentation.CONTENT_RETRIEVER)
            .takesArgument(1, ContentRetrieverInstrumentation.QUERY), new FanOutHook()),
        new MethodAdvice(MethodMatcher.named("process").takesArguments(1)
            .takesArgument(0, "java.util.Collection"), new SingleRetrieverHook()).readingFields("queryRouter"));
  }

  static final class FanOutHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return LangChain4jSpans.startRetriever(arguments[0], arguments[1]);
    }

    @Override
    public Object exit(HookSite site, Object span, Object self, Object contents, Throwable thrown) {
      Tracer.end((Span) span, contents, thrown);
      return contents;
    }
  }

  static final class SingleRetrieverHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      Collection<?> queries = (Collection<?>) arguments[0];
      Object retriever = queries != null && queries.size() == 1 ? onlyRetriever(site.field(arguments, 0)) : null;
      return retriever == null ? null : LangChain4jSpans.startRetriever(retriever, queries.iterator().next());
    }

    @Override
    public Object exit(HookSite site, Object span, Object self, Object queryToContents, Throwable thrown) {
      if (span != null) {
        Tracer.end((Span) span, onlyContents(queryToContents), thrown);
      }
      return queryToContents;
    }

    /** The one retriever of a DefaultQueryRouter (whose route returns its list), else null. */
    private static Object onlyRetriever(Object router) {
      if (router == null || !DEFAULT_QUERY_ROUTER.equals(router.getClass().getName())) {
        return null;
      }
      Object retrievers = ROUTER_RETRIEVERS.read(router);
      return retrievers instanceof Collection && ((Collection<?>) retrievers).size() == 1
          ? ((Collection<?>) retrievers).iterator().next() : null;
    }

    /** {@code {query: [contents]}} as process returns it for one retriever: the contents. */
    private static Object onlyContents(Object queryToContents) {
      if (queryToContents instanceof Map && ((Map<?, ?>) queryToContents).size() == 1) {
        Object lists = ((Map<?, ?>) queryToContents).values().iterator().next();
        if (lists instanceof Collection && ((Collection<?>) lists).size() == 1) {
          return ((Collection<?>) lists).iterator().next();
        }
      }
      return null;
    }
  }

  private static final Reflect.PrivateField ROUTER_RETRIEVERS = new Reflect.PrivateField("contentRetrievers");
}
