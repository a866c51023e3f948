package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * {@code ResponseStream}'s iterator and {@code close()}: each chunk the app is handed, the end of the
 * stream ({@code hasNext()} false), a failed read, and a close. The iterator is an inner class, so its
 * stream is its {@code this$0} field. Nothing wraps the stream: the app iterates the SDK's own objects.
 */
final class StreamInstrumentation {
  private StreamInstrumentation() {}

  static final class Iterator implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named("com.google.genai.ResponseStream$ResponseStreamIterator");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return java.util.Arrays.asList(
          new MethodAdvice(MethodMatcher.named("next").takesArguments(0), new NextHook()).readingFields("this$0"),
          new MethodAdvice(MethodMatcher.named("hasNext").takesArguments(0), new HasNextHook())
              .readingFields("this$0"));
    }
  }

  static final class Close implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named("com.google.genai.ResponseStream");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Collections.singletonList(
          new MethodAdvice(MethodMatcher.named("close").takesArguments(0), new CloseHook()));
    }
  }

  static final class NextHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return site.field(arguments, 0);
    }

    @Override
    public Object exit(HookSite site, Object stream, Object self, Object chunk, Throwable thrown) {
      if (thrown != null) {
        StreamCalls.ended(stream, thrown);
      } else {
        StreamCalls.chunk(stream, chunk);
      }
      return chunk;
    }
  }

  static final class HasNextHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return site.field(arguments, 0);
    }

    @Override
    public Object exit(HookSite site, Object stream, Object self, Object more, Throwable thrown) {
      if (thrown != null || Boolean.FALSE.equals(more)) {
        StreamCalls.ended(stream, thrown);
      }
      return more;
    }
  }

  static final class CloseHook implements MethodHook {
    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      StreamCalls.ended(self, null);
      return returned;
    }
  }
}
