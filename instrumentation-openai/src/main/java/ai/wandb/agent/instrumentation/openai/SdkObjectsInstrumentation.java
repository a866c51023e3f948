package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SDK's own objects that a traced call hands the app, woven so that the app keeps them unchanged
 * (their classes, {@code toString()}, equality, and the stack of every exception they throw): the raw
 * response's {@code parse()}/{@code close()}, the stream response's {@code stream()}/{@code close()}, the
 * iterator under every stream, the async stream's handler loop and the OkHttp callback that completes
 * async calls. Hooks run before and after each body, so their frames are never on the app's stacks.
 * Each class and method is the same from openai-java 1.1.0 to 4.x; objects of untraced calls are
 * passed over after one look-up ({@link CallState#of(Object)}).
 */
final class SdkObjectsInstrumentation implements TypeInstrumentation {
  static final String HTTP_RESPONSE_FOR = "com.openai.core.http.HttpResponseForKt$parseable$1";
  /** The stream responses parse() returns: the mapping one (JSON, validation) and the closing one under it. */
  private static final List<String> STREAM_RESPONSES = Arrays.asList(
      "com.openai.core.http.StreamResponseKt$map$1", "com.openai.core.http.PhantomReachableClosingStreamResponse");
  static final String SEQUENCE = "com.openai.core.handlers.CloseableSequence";
  static final String SEQUENCE_ITERATOR = "com.openai.core.handlers.CloseableSequence$iterator$1";
  static final String ASYNC_STREAM_LOOP = "com.openai.core.http.AsyncStreamResponseKt$toAsync$1$subscribe$1$2";
  /** The okhttp3.Callback of {@code OkHttpClient.executeAsync}: {@code $2} up to 3.x, {@code $3} in 4.x. */
  private static final String[] OKHTTP_CALLBACKS = {
      "com.openai.client.okhttp.OkHttpClient$executeAsync$2", "com.openai.client.okhttp.OkHttpClient$executeAsync$3"};

  private final TypeMatcher types;
  private final List<MethodAdvice> advice;

  private SdkObjectsInstrumentation(TypeMatcher types, MethodAdvice... advice) {
    this.types = types;
    this.advice = Arrays.asList(advice);
  }

  static List<TypeInstrumentation> all() {
    return Arrays.<TypeInstrumentation>asList(
        new SdkObjectsInstrumentation(TypeMatcher.named(HTTP_RESPONSE_FOR),
            new MethodAdvice(MethodMatcher.named("parse").takesArguments(0), new Parse()),
            new MethodAdvice(MethodMatcher.named("close").takesArguments(0), new Close())),
        new SdkObjectsInstrumentation(TypeMatcher.named(STREAM_RESPONSES.toArray(new String[0])),
            new MethodAdvice(MethodMatcher.named("stream").takesArguments(0), new StreamOf()),
            new MethodAdvice(MethodMatcher.named("close").takesArguments(0), new Close())),
        new SdkObjectsInstrumentation(TypeMatcher.named(SEQUENCE),
            new MethodAdvice(MethodMatcher.constructors(), new SequenceCreated())),
        new SdkObjectsInstrumentation(TypeMatcher.named(SEQUENCE_ITERATOR),
            new MethodAdvice(MethodMatcher.named("hasNext", "next").takesArguments(0), new SequenceRead())
                .readingFields("this$0")),
        new SdkObjectsInstrumentation(TypeMatcher.named(ASYNC_STREAM_LOOP),
            new MethodAdvice(MethodMatcher.named("invoke").takesArguments(2)
                .takesArgument(0, "com.openai.core.http.StreamResponse"), new AsyncStreamLoop())),
        new SdkObjectsInstrumentation(TypeMatcher.named(OKHTTP_CALLBACKS),
            new MethodAdvice(MethodMatcher.named("onResponse", "onFailure").takesArguments(2)
                .takesArgument(0, "okhttp3.Call"), new OkHttpCallback())));
  }

  static boolean isWovenStream(String className) {
    return STREAM_RESPONSES.contains(className);
  }

  @Override
  public TypeMatcher typeMatcher() {
    return types;
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.unmodifiableList(advice);
  }

  /** {@code HttpResponseFor.parse()}: a plain call ends with its result; a stream starts its chunk log. */
  static final class Parse implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      CallState state = CallState.of(self);
      if (state == null) {
        return null;
      }
      // A plain call's exit needs only its state (parsing() touches nothing then): no array per call.
      return state.streaming() ? new Object[] {state, state.parsing()} : state;
    }

    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      if (entered instanceof CallState) {
        CallState state = (CallState) entered;
        state.parsed(self, state.parsing(), returned, thrown);
      } else if (entered != null) {
        Object[] parsing = (Object[]) entered;
        ((CallState) parsing[0]).parsed(self, parsing[1], returned, thrown);
      }
      return returned;
    }
  }

  /** {@code close()} of a raw response or a stream response ends the call with what was read. */
  static final class Close implements MethodHook {
    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      CallState.closed(self);
      return returned;
    }
  }

  /** {@code StreamResponse.stream()}: the SDK's stream with the recording stage. */
  static final class StreamOf implements MethodHook {
    @Override
    @SuppressWarnings("unchecked")
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      CallState state = CallState.of(self);
      return state == null || !(returned instanceof Stream) ? returned : state.recording((Stream<Object>) returned);
    }
  }

  static final class SequenceCreated implements MethodHook {
    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      if (thrown == null) {
        CallState.sequenceCreated(self);
      }
      return returned;
    }
  }

  /** The iterator under the stream: its end ({@code hasNext()} false) or its failure ends the call. */
  static final class SequenceRead implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return CallState.of(site.field(arguments, 0));
    }

    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      CallState state = (CallState) entered;
      if (state != null) {
        if (thrown != null) {
          state.failed(thrown);
        } else if (Boolean.FALSE.equals(returned) && site.methodName().equals("hasNext")) {
          state.succeeded(null);
        }
      }
      return returned;
    }
  }

  /** The async stream's loop over the chunks: the app's handler runs with the caller's parent current. */
  static final class AsyncStreamLoop implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      CallState state = CallState.of(arguments[0]);
      return state == null ? null : new Span[] {Tracer.attach(state.parent())};
    }

    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      if (entered != null) {
        Tracer.restore(((Span[]) entered)[0]);
      }
      return returned;
    }
  }

  static final class OkHttpCallback implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return HttpCallbacks.enter();
    }

    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      HttpCallbacks.exit(entered);
      return returned;
    }
  }
}
