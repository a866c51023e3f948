package ai.wandb.agent.instrumentation.openai;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ChatCompletionServiceImpl.create(params, requestOptions)}: every synchronous chat completion,
 * whichever overload or client the application used, ends in this method.
 */
final class ChatCompletionServiceInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.openai.services.blocking.chat.ChatCompletionServiceImpl");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        named("create").and(takesArguments(2))
            .and(takesArgument(0, named("com.openai.models.chat.completions.ChatCompletionCreateParams"))),
        CreateAdvice.class));
  }

  public static final class CreateAdvice {
    private CreateAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) Object params,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      return ChatCompletionSpans.start(params, clientOptions);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span, @Advice.Return Object completion,
        @Advice.Thrown Throwable thrown) {
      Tracer.end(span, completion, thrown);
    }
  }
}
