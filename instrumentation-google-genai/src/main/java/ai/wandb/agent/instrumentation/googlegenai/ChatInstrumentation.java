package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * {@code Chat} and {@code AsyncChat}: every {@code sendMessage} / {@code sendMessageStream} overload ends
 * in one private method, which gets the chat's span; the model call it makes nests inside it as its own
 * span. The contents the chat sends (its history and the new message) are the list
 * {@code ChatBase.prepareSendMessageRequest} builds, taken as it returns ({@link PrepareHook}).
 */
final class ChatInstrumentation implements TypeInstrumentation {
  private final String type;
  private final boolean async;

  ChatInstrumentation(String type, boolean async) {
    this.type = type;
    this.async = async;
  }

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named(type);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        MethodMatcher.named("privateSendMessage", "privateSendMessageStream").takesArguments(2)
            .takesArgument(0, "java.util.List"),
        new SendHook(async)).readingFields("model", "config", "apiClient"));
  }

  static final class SendHook implements MethodHook {
    private final boolean async;

    SendHook(boolean async) {
      this.async = async;
    }

    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      GenAiOperation operation = site.methodName().equals("privateSendMessage")
          ? GenAiOperation.CHAT : GenAiOperation.CHAT_STREAM;
      // A message's own config replaces the chat's, as the SDK does.
      Object config = arguments[1] != null ? arguments[1] : site.field(arguments, 1);
      return GenAiCalls.start(operation, site.field(arguments, 0), arguments[0], config, site.field(arguments, 2));
    }

    @Override
    public Object exit(HookSite site, Object span, Object self, Object returned, Throwable thrown) {
      if (async) {
        return GenAiCalls.returnedAsync((Span) span, returned, thrown);
      }
      GenAiCalls.returned((Span) span, returned, thrown);
      return returned;
    }
  }

  /** {@code ChatBase.prepareSendMessageRequest}: what the chat whose span is current sends. */
  static final class Prepare implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named("com.google.genai.ChatBase");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Collections.singletonList(new MethodAdvice(
          MethodMatcher.named("prepareSendMessageRequest").takesArguments(1), new PrepareHook()));
    }
  }

  static final class PrepareHook implements MethodHook {
    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      Span current = Tracer.current();
      if (thrown == null && current != null && current.request() instanceof GenAiRequest
          && ((GenAiRequest) current.request()).operation.isChat()) {
        ((GenAiRequest) current.request()).sent = returned;
      }
      return returned;
    }
  }
}
