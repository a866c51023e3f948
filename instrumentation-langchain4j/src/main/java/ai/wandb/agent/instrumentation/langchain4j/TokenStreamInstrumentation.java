package ai.wandb.agent.instrumentation.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code AiServiceTokenStream}: ties the stream to its AI-service span and ends that span with it. */
final class TokenStreamInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("dev.langchain4j.service.AiServiceTokenStream");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Arrays.asList(
        new MethodAdvice(isConstructor(), CreatedAdvice.class),
        new MethodAdvice(named("start").and(takesArguments(0)), StartAdvice.class),
        new MethodAdvice(named("onCompleteResponse").and(takesArguments(1)), OnCompleteAdvice.class),
        new MethodAdvice(named("onError").and(takesArguments(1)), OnErrorAdvice.class));
  }

  public static final class CreatedAdvice {
    private CreatedAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object stream) {
      TokenStreams.created(stream);
    }
  }

  public static final class StartAdvice {
    private StartAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static TokenStreams.Scope enter(@Advice.This Object stream) {
      return TokenStreams.starting(stream);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter TokenStreams.Scope scope) {
      TokenStreams.started(scope);
    }
  }

  public static final class OnCompleteAdvice {
    private OnCompleteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object stream,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object consumer) {
      consumer = TokenStreams.onComplete(stream, consumer);
    }
  }

  public static final class OnErrorAdvice {
    private OnErrorAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object stream,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object consumer) {
      consumer = TokenStreams.onError(stream, consumer);
    }
  }
}
