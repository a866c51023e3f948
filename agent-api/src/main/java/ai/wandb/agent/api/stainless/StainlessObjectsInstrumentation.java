package ai.wandb.agent.api.stainless;

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

/**
 * The SDK's own objects that a traced call hands the app, woven so that the app keeps them unchanged
 * (their classes, {@code toString()}, equality, and the stack of every exception they throw): the raw
 * response's {@code parse()}/{@code close()}, the stream response's {@code close()}, the iterator under
 * every stream and the SSE decoder it drives, the async stream's handler loop and the OkHttp callback
 * that completes async calls. Hooks run before and after each body, so their frames are never on the
 * app's stacks; the app's stream is the SDK's own, with no stage added (a stage would be one more frame
 * in every stack taken inside the app's stream consumer).
 * Each class and method is the same in every version of openai-java (1.1.0 to 4.x) and anthropic-java
 * (2.x, 3.x) the modules support, except where {@link StainlessSdk} lists the variants; objects of
 * untraced calls are passed over after one look-up ({@link StainlessCall#of(Object)}).
 */
public final class StainlessObjectsInstrumentation implements TypeInstrumentation {
  private final TypeMatcher types;
  private final List<MethodAdvice> advice;

  private StainlessObjectsInstrumentation(TypeMatcher types, MethodAdvice... advice) {
    this.types = types;
    this.advice = Arrays.asList(advice);
  }

  /** Every SDK object a traced call of {@code sdk} hands the app. */
  public static List<TypeInstrumentation> all(StainlessSdk sdk) {
    return Arrays.<TypeInstrumentation>asList(
        new StainlessObjectsInstrumentation(TypeMatcher.named(sdk.httpResponseFor()),
            new MethodAdvice(MethodMatcher.named("parse").takesArguments(0), new Parse()),
            new MethodAdvice(MethodMatcher.named("close").takesArguments(0), new Close())),
        new StainlessObjectsInstrumentation(TypeMatcher.named(sdk.streamResponses()),
            new MethodAdvice(MethodMatcher.named("close").takesArguments(0), new Close())),
        new StainlessObjectsInstrumentation(TypeMatcher.named(sdk.sequence()),
            new MethodAdvice(MethodMatcher.constructors(), new SequenceCreated())),
        new StainlessObjectsInstrumentation(TypeMatcher.named(sdk.sequenceIterator()),
            new MethodAdvice(MethodMatcher.named("hasNext").takesArguments(0), new SequenceRead(false))
                .readingFields("this$0"),
            new MethodAdvice(MethodMatcher.named("next").takesArguments(0), new SequenceRead(true))
                .readingFields("this$0")),
        new StainlessObjectsInstrumentation(TypeMatcher.named(sdk.sseState()),
            new MethodAdvice(MethodMatcher.named("decode").takesArguments(1).takesArgument(0, "java.lang.String"),
                new SseDecode())),
        new StainlessObjectsInstrumentation(TypeMatcher.named(sdk.asyncStreamLoopClass()),
            new MethodAdvice(MethodMatcher.named("invoke").takesArguments(2)
                .takesArgument(0, sdk.streamResponse()), new AsyncStreamLoop(0))),
        new StainlessObjectsInstrumentation(TypeMatcher.named(sdk.asyncStreamResponse()),
            new MethodAdvice(MethodMatcher.named("subscribe$lambda$2$1").takesArguments(4)
                .takesArgument(2, sdk.streamResponse()), new AsyncStreamLoop(2))),
        new StainlessObjectsInstrumentation(TypeMatcher.named(sdk.completionExecutorClient()),
            new MethodAdvice(MethodMatcher.named("executeAsync").takesArguments(2), new CompletionExecutorHandOff())),
        new StainlessObjectsInstrumentation(TypeMatcher.named(sdk.okHttpCallbacks()),
            new MethodAdvice(MethodMatcher.named("onResponse", "onFailure").takesArguments(2)
                .takesArgument(0, "okhttp3.Call"), new OkHttpCallback())));
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
      StainlessCall state = StainlessCall.of(self);
      if (state == null) {
        return null;
      }
      // A plain call's exit needs only its state (parsing() touches nothing then): no array per call.
      return state.streaming() ? new Object[] {state, state.parsing()} : state;
    }

    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      if (entered instanceof StainlessCall) {
        StainlessCall state = (StainlessCall) entered;
        state.parsed(self, state.parsing(), returned, thrown);
      } else if (entered != null) {
        Object[] parsing = (Object[]) entered;
        ((StainlessCall) parsing[0]).parsed(self, parsing[1], returned, thrown);
      }
      return returned;
    }
  }

  /** {@code close()} of a raw response or a stream response ends the call with what was read. */
  static final class Close implements MethodHook {
    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      StainlessCall.closed(self);
      return returned;
    }
  }

  static final class SequenceCreated implements MethodHook {
    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      if (thrown == null) {
        StainlessCall.sequenceCreated(self);
      }
      return returned;
    }
  }

  /**
   * The iterator under the stream, whose elements are the SSE messages the app's stream then maps to
   * chunks: each one {@code next()} returns is logged, its end ({@code hasNext()} false) or its failure
   * ends the call. While it runs, the SDK decodes the lines the element comes from ({@link SseDecode}).
   */
  static final class SequenceRead implements MethodHook {
    private final boolean next;

    SequenceRead(boolean next) {
      this.next = next;
    }

    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      StainlessCall state = StainlessCall.of(site.field(arguments, 0));
      if (state != null) {
        state.readingStarts();
      }
      return state;
    }

    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      StainlessCall state = (StainlessCall) entered;
      if (state != null) {
        state.readingEnds();
        if (thrown != null) {
          state.failed(thrown);
        } else if (next) {
          state.onChunk(returned);
        } else if (Boolean.FALSE.equals(returned)) {
          state.succeeded(null);
        }
      }
      return returned;
    }
  }

  /**
   * {@code SseState.decode(line)}, which returns a message once its lines are complete and null
   * otherwise (the SDK's loop then reads on): a message the agent alone caused comes back as null, so
   * the SDK skips it where it skips comments and incomplete messages ({@link StainlessCall#decoded}).
   */
  static final class SseDecode implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      StainlessCall state = StainlessCall.decodingNow();
      if (state != null) {
        state.decodes((String) arguments[0]);
      }
      return state;
    }

    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      return entered == null ? returned : ((StainlessCall) entered).decoded(returned);
    }
  }

  /** The async stream's loop over the chunks: the app's handler runs with the caller's parent current. */
  static final class AsyncStreamLoop implements MethodHook {
    /** Which argument is the stream response. */
    private final int streamArgument;

    AsyncStreamLoop(int streamArgument) {
      this.streamArgument = streamArgument;
    }

    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      StainlessCall state = StainlessCall.of(arguments[streamArgument]);
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

  /**
   * {@code CompletionExecutorHttpClient.executeAsync} (anthropic-java 3.x) chains the stage that moves
   * the response onto the SDK's completion executor, where the SDK's parsing and the app's callbacks
   * then run. The caller's context is made current while it does: the executors module captures a
   * stage where it is created and makes that context current while the stage runs on the executor (and
   * restores the worker's own after), so that work runs under the caller's span with no frame of the
   * agent under it ({@link StainlessCalls#callersContext}).
   */
  static final class CompletionExecutorHandOff implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return new Span[] {Tracer.attach(StainlessCalls.callersContext())};
    }

    @Override
    public Object exit(HookSite site, Object entered, Object self, Object returned, Throwable thrown) {
      Tracer.restore(((Span[]) entered)[0]);
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
