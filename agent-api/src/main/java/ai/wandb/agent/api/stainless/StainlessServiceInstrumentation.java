package ai.wandb.agent.api.stainless;

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
 * (OkHttp builders, a custom {@code HttpClient}, Bedrock, Vertex), all of which share {@code clientOptions}.
 * The two-argument {@code (XxxParams, RequestOptions)} methods and the {@code clientOptions} field are
 * the same in every supported version; where a type lacks them it is not woven (a debug line) and runs
 * untraced.
 */
public final class StainlessServiceInstrumentation implements TypeInstrumentation {
  /** Starts a call's span on the app thread, or returns null for a call it does not trace. */
  public interface CallStarter {
    /**
     * The span of {@code method} of the raw-response type {@code type}, whose request is a
     * {@link StainlessRequest}; {@code arguments[0]} (the params) may be replaced by what to send instead.
     */
    Span start(String type, String method, Object[] arguments, Object clientOptions);
  }

  private final StainlessSdk sdk;
  private final String rawType;
  private final List<String> methods;
  private final boolean async;
  private final CallStarter starter;

  public StainlessServiceInstrumentation(StainlessSdk sdk, String rawType, List<String> methods, boolean async,
      CallStarter starter) {
    this.sdk = sdk;
    this.rawType = rawType;
    this.methods = methods;
    this.async = async;
    this.starter = starter;
  }

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named(rawType);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        MethodMatcher.named(methods.toArray(new String[0])).takesArguments(2)
            .takesArgument(1, sdk.name("core.RequestOptions")),
        async ? new AsyncHook(sdk, starter) : new BlockingHook(sdk, starter))
        .readingFields("clientOptions")
        .writingArguments(0));
  }

  abstract static class CallHook implements MethodHook {
    final StainlessSdk sdk;
    private final CallStarter starter;

    CallHook(StainlessSdk sdk, CallStarter starter) {
      this.sdk = sdk;
      this.starter = starter;
    }

    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return starter.start(site.typeName(), site.methodName(), arguments, site.field(arguments, 0));
    }
  }

  /** Returns {@code HttpResponseFor<T>}: the span ends when the app parses (or closes) it, or its stream ends. */
  static final class BlockingHook extends CallHook {
    BlockingHook(StainlessSdk sdk, CallStarter starter) {
      super(sdk, starter);
    }

    @Override
    public Object exit(HookSite site, Object span, Object self, Object response, Throwable thrown) {
      return StainlessCalls.returned(sdk, (Span) span, response, thrown);
    }
  }

  /** Returns {@code CompletableFuture<HttpResponseFor<T>>}: the same, once the future completes. */
  static final class AsyncHook extends CallHook {
    AsyncHook(StainlessSdk sdk, CallStarter starter) {
      super(sdk, starter);
    }

    @Override
    public Object exit(HookSite site, Object span, Object self, Object future, Throwable thrown) {
      return StainlessCalls.returnedAsync(sdk, (Span) span, future, thrown);
    }
  }
}
