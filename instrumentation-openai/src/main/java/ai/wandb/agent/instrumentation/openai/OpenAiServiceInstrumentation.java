package ai.wandb.agent.instrumentation.openai;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One SDK service's {@code ...ServiceImpl$WithRawResponseImpl} (blocking or async). That is the layer
 * where every path meets: the high-level {@code create(...)} is {@code withRawResponse().create(...).parse()},
 * structured-output overloads and {@code withOptions(...)} copies end in the same impl, an explicit
 * {@code withRawResponse()} call lands here directly, and it sits below every way of building a client
 * (OkHttp builders, a custom {@code HttpClient}, Bedrock), all of which share {@code clientOptions}.
 * The two-argument {@code (XxxParams, RequestOptions)} methods and the {@code clientOptions} field are
 * the same from 1.1.0 to 4.x; where a type lacks them it is not transformed (a debug line) and runs untraced.
 */
final class OpenAiServiceInstrumentation implements TypeInstrumentation {
  private final String rawType;
  private final List<String> methods;
  private final boolean async;

  OpenAiServiceInstrumentation(String rawType, List<String> methods, boolean async) {
    this.rawType = rawType;
    this.methods = methods;
    this.async = async;
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(rawType);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        namedOneOf(methods.toArray(new String[0])).and(takesArguments(2))
            .and(takesArgument(1, named("com.openai.core.RequestOptions"))),
        async ? AsyncAdvice.class : BlockingAdvice.class));
  }

  /** Returns {@code HttpResponseFor<T>}: the span ends when the app parses (or closes) it, or its stream ends. */
  public static final class BlockingAdvice {
    private BlockingAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Origin("#t") String type, @Advice.Origin("#m") String method,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object params,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      Object sent = OpenAiCalls.withStreamUsage(type, method, params, clientOptions);
      Span span = OpenAiCalls.start(type, method, sent, clientOptions, sent != params);
      params = sent;
      return span;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
        @Advice.Thrown Throwable thrown) {
      response = OpenAiCalls.returned(span, response, thrown);
    }
  }

  /** Returns {@code CompletableFuture<HttpResponseFor<T>>}: the same, once the future completes. */
  public static final class AsyncAdvice {
    private AsyncAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Origin("#t") String type, @Advice.Origin("#m") String method,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object params,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      Object sent = OpenAiCalls.withStreamUsage(type, method, params, clientOptions);
      Span span = OpenAiCalls.start(type, method, sent, clientOptions, sent != params);
      params = sent;
      return span;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future,
        @Advice.Thrown Throwable thrown) {
      future = OpenAiCalls.returnedAsync(span, future, thrown);
    }
  }
}
