package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.List;

/**
 * Model round trips on every provider: {@code ChatModel.call(Prompt)} and {@code stream(Prompt)} of every
 * model class, and the round-trip methods Spring AI 1.x's providers loop through for internal tool
 * execution, {@code internalCall(Prompt, ChatResponse)} and {@code internalStream(Prompt, ChatResponse)}
 * (the second argument is the round before, whose usage the new response adds up).
 */
final class ChatModelInstrumentation implements TypeInstrumentation {
  static final String CHAT_MODEL = "org.springframework.ai.chat.model.ChatModel";
  static final String STREAMING_CHAT_MODEL = "org.springframework.ai.chat.model.StreamingChatModel";
  static final String PROMPT = "org.springframework.ai.chat.prompt.Prompt";
  static final String CHAT_RESPONSE = "org.springframework.ai.chat.model.ChatResponse";

  private final String type;
  private final boolean streaming;

  ChatModelInstrumentation(String type, boolean streaming) {
    this.type = type;
    this.streaming = streaming;
  }

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.implementationsOf(type, SpringAiInstrumentationModule.LIBRARY);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    String publicName = streaming ? "stream" : "call";
    String internalName = streaming ? "internalStream" : "internalCall";
    return Arrays.asList(
        new MethodAdvice(MethodMatcher.named(publicName).takesArguments(1).takesArgument(0, PROMPT),
            new Hook(streaming, true)),
        new MethodAdvice(MethodMatcher.named(internalName).takesArguments(2).takesArgument(0, PROMPT)
            .takesArgument(1, CHAT_RESPONSE), new Hook(streaming, false)));
  }

  static final class Hook implements MethodHook {
    private final boolean streaming;
    private final boolean publicEntry;

    Hook(boolean streaming, boolean publicEntry) {
      this.streaming = streaming;
      this.publicEntry = publicEntry;
    }

    @Override
    public Object enter(HookSite site, Object model, Object[] arguments) {
      return SpringAiSpans.startRoundTrip(model, arguments[0], publicEntry ? null : arguments[1], streaming,
          publicEntry);
    }

    @Override
    public Object exit(HookSite site, Object state, Object model, Object returned, Throwable thrown) {
      SpringAiSpans.Opened opened = (SpringAiSpans.Opened) state;
      if (opened == null) {
        return returned;
      }
      if (streaming && thrown == null) {
        Object flux = FluxScope.observe(returned, opened.span, ((Calls.Chat) opened.span.request()).stream,
            opened.outer == null ? null : opened.outer.span);
        opened.leave();
        return flux;
      }
      opened.close(returned, thrown);
      return returned;
    }
  }

  /**
   * Spring AI 1.x's OpenAI client ({@code OpenAiApi.chatCompletionStream}, for OpenAI and the
   * OpenAI-compatible services its model is pointed at): the raw chunk stream a streamed round trip reads,
   * for its first token. 1.x merges a round trip's tool-call chunks before its model sees them, and never
   * emits them.
   */
  static final class ProviderStream implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named("org.springframework.ai.openai.api.OpenAiApi");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Arrays.asList(new MethodAdvice(MethodMatcher.named("chatCompletionStream").takesArguments(2),
          new MethodHook() {
            @Override
            public Object exit(HookSite site, Object state, Object api, Object returned, Throwable thrown) {
              return SpringAiSpans.providerStream(returned);
            }
          }));
    }
  }
}
