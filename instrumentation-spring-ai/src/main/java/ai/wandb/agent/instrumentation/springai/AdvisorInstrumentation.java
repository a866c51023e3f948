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
 * Each advisor of a ChatClient's chain, in any package (Spring AI's memory, RAG and logging advisors and
 * the app's own): {@code adviseCall} / {@code adviseStream} of every {@code CallAdvisor} and
 * {@code StreamAdvisor} class, and {@code BaseAdvisor}'s default methods, which the advisors built on it
 * (QuestionAnswerAdvisor, the memory advisors) do not override. The chain calls the next advisor inside
 * the one before, so the spans nest in chain order.
 */
final class AdvisorInstrumentation implements TypeInstrumentation {
  static final String CALL_ADVISOR = "org.springframework.ai.chat.client.advisor.api.CallAdvisor";
  static final String STREAM_ADVISOR = "org.springframework.ai.chat.client.advisor.api.StreamAdvisor";
  static final String BASE_ADVISOR = "org.springframework.ai.chat.client.advisor.api.BaseAdvisor";
  static final String REQUEST = "org.springframework.ai.chat.client.ChatClientRequest";

  private final String type;
  /** The method of the type's classes; null for BaseAdvisor's two default methods. */
  private final String method;
  private final boolean streaming;

  AdvisorInstrumentation(String type, String method, boolean streaming) {
    this.type = type;
    this.method = method;
    this.streaming = streaming;
  }

  @Override
  public TypeMatcher typeMatcher() {
    return method == null ? TypeMatcher.named(type)
        : TypeMatcher.implementationsOf(type, SpringAiInstrumentationModule.LIBRARY);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    if (method == null) {
      return Arrays.asList(advise("adviseCall", false), advise("adviseStream", true));
    }
    return Arrays.asList(advise(method, streaming));
  }

  private static MethodAdvice advise(String name, boolean streaming) {
    return new MethodAdvice(MethodMatcher.named(name).takesArguments(2).takesArgument(0, REQUEST),
        new Hook(streaming));
  }

  static final class Hook implements MethodHook {
    private final boolean streaming;

    Hook(boolean streaming) {
      this.streaming = streaming;
    }

    @Override
    public Object enter(HookSite site, Object advisor, Object[] arguments) {
      return SpringAiSpans.startAdvisor(advisor, arguments[0], streaming);
    }

    @Override
    public Object exit(HookSite site, Object state, Object advisor, Object returned, Throwable thrown) {
      SpringAiSpans.Opened opened = (SpringAiSpans.Opened) state;
      if (opened == null) {
        return returned;
      }
      if (streaming && thrown == null) {
        Object flux = FluxScope.observe(returned, opened.span, ((Calls.Advisor) opened.span.request()).stream,
            null);
        opened.leave();
        return flux;
      }
      opened.close(returned, thrown);
      return returned;
    }
  }

  /** The chain's {@code nextCall} / {@code nextStream}: the request the current advisor hands on. */
  static final class Chain implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.implementationsOf("org.springframework.ai.chat.client.advisor.api.CallAdvisorChain",
          SpringAiInstrumentationModule.LIBRARY);
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Arrays.asList(new MethodAdvice(
          MethodMatcher.named("nextCall", "nextStream").takesArguments(1).takesArgument(0, REQUEST),
          new MethodHook() {
            @Override
            public Object enter(HookSite site, Object chain, Object[] arguments) {
              SpringAiSpans.advisorHandsOn(arguments[0]);
              return null;
            }
          }));
    }
  }
}
