package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.List;

/** {@code AiServiceTokenStream}: ties the stream to its AI-service span and ends that span with it. */
final class TokenStreamInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named("dev.langchain4j.service.AiServiceTokenStream");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Arrays.asList(
        new MethodAdvice(MethodMatcher.constructors(), new CreatedHook()),
        new MethodAdvice(MethodMatcher.named("start").takesArguments(0), new StartHook()),
        new MethodAdvice(MethodMatcher.named("onCompleteResponse").takesArguments(1), new OnCompleteHook())
            .writingArguments(0),
        new MethodAdvice(MethodMatcher.named("onError").takesArguments(1), new OnErrorHook()).writingArguments(0));
  }

  static final class CreatedHook implements MethodHook {
    @Override
    public Object exit(HookSite site, Object state, Object stream, Object returned, Throwable thrown) {
      if (thrown == null) {
        TokenStreams.created(stream);
      }
      return returned;
    }
  }

  static final class StartHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object stream, Object[] arguments) {
      return TokenStreams.starting(stream);
    }

    @Override
    public Object exit(HookSite site, Object scope, Object stream, Object returned, Throwable thrown) {
      TokenStreams.started((TokenStreams.Scope) scope);
      return returned;
    }
  }

  static final class OnCompleteHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object stream, Object[] arguments) {
      arguments[0] = TokenStreams.onComplete(stream, arguments[0]);
      return null;
    }
  }

  static final class OnErrorHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object stream, Object[] arguments) {
      arguments[0] = TokenStreams.onError(stream, arguments[0]);
      return null;
    }
  }
}
