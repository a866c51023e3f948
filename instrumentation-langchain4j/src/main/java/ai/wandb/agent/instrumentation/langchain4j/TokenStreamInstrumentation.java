package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.List;

/**
 * {@code AiServiceTokenStream}: ties the stream to its AI-service span and notes which outcomes the
 * application listens to; {@link Handler} ends the span with the stream.
 */
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
        new MethodAdvice(MethodMatcher.named("onCompleteResponse").takesArguments(1), new ConsumerHook(false)),
        new MethodAdvice(MethodMatcher.named("onError").takesArguments(1), new ConsumerHook(true)));
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

  static final class ConsumerHook implements MethodHook {
    private final boolean error;

    ConsumerHook(boolean error) {
      this.error = error;
    }

    @Override
    public Object enter(HookSite site, Object stream, Object[] arguments) {
      TokenStreams.consumerSet(stream, arguments[0], error);
      return null;
    }
  }

  /**
   * {@code AiServiceStreamingResponseHandler}, which calls the application's consumers: the span ends in
   * its own methods, so the consumers run with no frame of the agent under them. Completion is seen at
   * each {@code Consumer.accept} call in {@code onCompleteResponse}, woven in place: one of them calls the
   * application's completion consumer, after output guardrails and tools that return immediately, on every
   * version (1.6+ also fires its completion event just before; 1.0 to 1.5 have no such event).
   */
  static final class Handler implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named("dev.langchain4j.service.AiServiceStreamingResponseHandler");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Arrays.asList(
          new MethodAdvice(MethodMatcher.constructors(), new HandlerCreatedHook()),
          new MethodAdvice(MethodMatcher.named("onCompleteResponse").takesArguments(1), new CompleteHook()),
          MethodAdvice.aroundCalls(MethodMatcher.named("onCompleteResponse").takesArguments(1),
              "java.util.function.Consumer", "accept", "(Ljava/lang/Object;)V", new ConsumerCallHook()),
          new MethodAdvice(MethodMatcher.named("onError").takesArguments(1), new ErrorHook()));
    }
  }

  static final class HandlerCreatedHook implements MethodHook {
    @Override
    public Object exit(HookSite site, Object state, Object handler, Object returned, Throwable thrown) {
      if (thrown == null) {
        TokenStreams.handlerCreated(handler);
      }
      return returned;
    }
  }

  static final class CompleteHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object handler, Object[] arguments) {
      return TokenStreams.completing(handler, arguments[0]);
    }

    @Override
    public Object exit(HookSite site, Object scope, Object handler, Object returned, Throwable thrown) {
      TokenStreams.completed((TokenStreams.Scope) scope, thrown);
      return returned;
    }
  }

  /** Before each {@code consumer.accept(value)} in {@code onCompleteResponse}. */
  static final class ConsumerCallHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object consumer, Object[] arguments) {
      TokenStreams.consumerCalled(consumer, arguments[0]);
      return null;
    }
  }

  static final class ErrorHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object handler, Object[] arguments) {
      TokenStreams.failing(handler, arguments[0]);
      return null;
    }
  }
}
