package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * What the app calls to run a ChatClient request: {@code call().content() / entity(...) / chatResponse() /
 * chatClientResponse() / responseEntity(...)} and {@code stream().content() / chatResponse() /
 * chatClientResponse()}, on every implementation of the response specs. Each is one {@code AGENT} span;
 * a stream's ends with its Flux.
 */
final class ChatClientInstrumentation implements TypeInstrumentation {
  static final String CALL_SPEC = "org.springframework.ai.chat.client.ChatClient$CallResponseSpec";
  static final String STREAM_SPEC = "org.springframework.ai.chat.client.ChatClient$StreamResponseSpec";

  private final String spec;
  private final boolean streaming;

  ChatClientInstrumentation(String spec, boolean streaming) {
    this.spec = spec;
    this.streaming = streaming;
  }

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.implementationsOf(spec, SpringAiInstrumentationModule.LIBRARY);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    MethodMatcher methods = streaming
        ? MethodMatcher.named("content", "chatResponse", "chatClientResponse")
        : MethodMatcher.named("content", "chatResponse", "chatClientResponse", "entity", "responseEntity");
    return Collections.singletonList(new MethodAdvice(methods, new Hook(streaming)));
  }

  static final class Hook implements MethodHook {
    private final boolean streaming;

    Hook(boolean streaming) {
      this.streaming = streaming;
    }

    @Override
    public Object enter(HookSite site, Object spec, Object[] arguments) {
      return SpringAiSpans.startChatClient(spec, site.methodName(), arguments, streaming);
    }

    @Override
    public Object exit(HookSite site, Object state, Object spec, Object returned, Throwable thrown) {
      SpringAiSpans.Opened opened = (SpringAiSpans.Opened) state;
      if (opened == null) {
        return returned;
      }
      if (streaming && thrown == null) {
        Object flux = FluxScope.observeChatClient(returned, opened.span,
            ((Calls.ChatClient) opened.span.request()).stream, "content".equals(site.methodName()));
        opened.leave();
        return flux;
      }
      opened.close(returned, thrown);
      return returned;
    }
  }
}
