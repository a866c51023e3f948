package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * One SDK service's {@code ...ServiceImpl$WithRawResponseImpl} (blocking or async). That is the layer
 * where every path meets: the high-level {@code create(...)} is {@code withRawResponse().create(...).parse()},
 * structured-output overloads and {@code withOptions(...)} copies end in the same impl, an explicit
 * {@code withRawResponse()} call lands here directly, and it sits below every way of building a client
 * (OkHttp builders, a custom {@code HttpClient}, Bedrock), all of which share {@code clientOptions}.
 * The two-argument {@code (XxxParams, RequestOptions)} methods and the {@code clientOptions} field are
 * the same from 1.1.0 to 4.x; where a type lacks them it is not woven (a debug line) and runs untraced.
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
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named(rawType);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        MethodMatcher.named(methods.toArray(new String[0])).takesArguments(2)
            .takesArgument(1, "com.openai.core.RequestOptions"),
        async ? new AsyncHook() : new BlockingHook())
        .readingFields("clientOptions")
        .writingArguments(0));
  }

  /**
   * Starts the span; the params argument may be replaced by a copy that asks for stream usage
   * ({@link OpenAiCalls#withStreamUsage}).
   */
  abstract static class CallHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      Object params = arguments[0];
      Object clientOptions = site.field(arguments, 0);
      Object sent = OpenAiCalls.withStreamUsage(site.typeName(), site.methodName(), params, clientOptions);
      Span span = OpenAiCalls.start(site.typeName(), site.methodName(), sent, clientOptions, sent != params);
      arguments[0] = sent;
      return span;
    }
  }

  /** Returns {@code HttpResponseFor<T>}: the span ends when the app parses (or closes) it, or its stream ends. */
  static final class BlockingHook extends CallHook {
    @Override
    public Object exit(HookSite site, Object span, Object self, Object response, Throwable thrown) {
      return OpenAiCalls.returned((Span) span, response, thrown);
    }
  }

  /** Returns {@code CompletableFuture<HttpResponseFor<T>>}: the same, once the future completes. */
  static final class AsyncHook extends CallHook {
    @Override
    public Object exit(HookSite site, Object span, Object self, Object future, Throwable thrown) {
      return OpenAiCalls.returnedAsync((Span) span, future, thrown);
    }
  }
}
