package ai.wandb.agent.instrumentation.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code EmbeddingModel.embed(String | TextSegment | EmbeddingRequest)}, {@code embedAll(List)} and
 * (1.18+) {@code doEmbed(EmbeddingRequest)}: the defaults on the interface (so {@code embed(...)} of
 * any model, the application's own included, is seen) and LangChain4j's implementations. These call
 * each other in both directions across versions; only the outermost makes a span.
 */
final class EmbeddingModelInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return LangChain4jMatchers.interfaceAndLangChain4jImplementations("dev.langchain4j.model.embedding.EmbeddingModel", "model");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        named("embed").or(named("embedAll")).or(named("doEmbed")).and(takesArguments(1)).and(not(isAbstract())),
        EmbedAdvice.class));
  }

  public static final class EmbedAdvice {
    private EmbedAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.This Object model, @Advice.Argument(0) Object input) {
      return LangChain4jSpans.startEmbedding(model, input);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object response, @Advice.Thrown Throwable thrown) {
      Tracer.end(span, response, thrown);
    }
  }
}
