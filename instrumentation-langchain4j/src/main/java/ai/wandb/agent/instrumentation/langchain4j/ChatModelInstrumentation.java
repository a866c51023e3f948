package ai.wandb.agent.instrumentation.langchain4j;

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
 * {@code ChatModel.chat(ChatRequest[, ChatRequestOptions])}: the interface default (which calls the
 * provider's {@code doChat}) and providers that override {@code chat} themselves. The other
 * overloads ({@code chat(String)}, {@code chat(List)}) route into these; the span start skips a call
 * made inside another chat span, so each logical call has one span.
 */
final class ChatModelInstrumentation implements TypeInstrumentation {
  static final String CHAT_MODEL = "dev.langchain4j.model.chat.ChatModel";
  static final String CHAT_REQUEST = "dev.langchain4j.model.chat.request.ChatRequest";

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.implementationsOf(CHAT_MODEL, LangChain4jInstrumentationModule.LIBRARY);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        MethodMatcher.named("chat").takesArgument(0, CHAT_REQUEST), new ChatHook()));
  }

  static final class ChatHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object model, Object[] arguments) {
      return LangChain4jSpans.startChat(model, arguments[0]);
    }

    @Override
    public Object exit(HookSite site, Object span, Object model, Object response, Throwable thrown) {
      Tracer.end((Span) span, response, thrown);
      return response;
    }
  }
}
