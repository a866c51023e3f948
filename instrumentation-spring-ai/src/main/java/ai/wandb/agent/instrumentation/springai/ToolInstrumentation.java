package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Every {@code ToolCallback}: {@code MethodToolCallback} ({@code @Tool} methods), {@code FunctionToolCallback},
 * MCP's callbacks and the app's own, in any package; {@code call(input)} and {@code call(input, context)}
 * make one span, from the tool's real start to its real end.
 */
final class ToolInstrumentation implements TypeInstrumentation {
  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.implementationsOf("org.springframework.ai.tool.ToolCallback",
        SpringAiInstrumentationModule.LIBRARY);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(
        MethodMatcher.named("call").takesArgument(0, "java.lang.String"), new MethodHook() {
          @Override
          public Object enter(HookSite site, Object callback, Object[] arguments) {
            return SpringAiSpans.startTool(callback, arguments[0]);
          }

          @Override
          public Object exit(HookSite site, Object state, Object callback, Object returned, Throwable thrown) {
            if (state != null) {
              ((SpringAiSpans.Opened) state).close(returned, SpringAiSpans.toolFailure(thrown));
            }
            return returned;
          }
        }));
  }

  /**
   * {@code ToolCallingManager.executeToolCalls(Prompt, ChatResponse)}: the round trip that asked for the
   * tools has ended, and they run under its parent (see {@link SpringAiSpans#startTools}).
   */
  static final class Manager implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.implementationsOf("org.springframework.ai.model.tool.ToolCallingManager",
          SpringAiInstrumentationModule.LIBRARY);
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Arrays.asList(new MethodAdvice(
          // Called by the model while it builds a request: what it resolves is what the provider gets.
          MethodMatcher.named("resolveToolDefinitions").takesArguments(1), new MethodHook() {
            @Override
            public Object exit(HookSite site, Object state, Object manager, Object returned, Throwable thrown) {
              if (thrown == null) {
                SpringAiSpans.toolsResolved(returned);
              }
              return returned;
            }
          }), new MethodAdvice(
          MethodMatcher.named("executeToolCalls").takesArguments(2)
              .takesArgument(0, ChatModelInstrumentation.PROMPT)
              .takesArgument(1, ChatModelInstrumentation.CHAT_RESPONSE), new MethodHook() {
            @Override
            public Object enter(HookSite site, Object manager, Object[] arguments) {
              return SpringAiSpans.startTools(arguments[0], arguments[1]);
            }

            @Override
            public Object exit(HookSite site, Object state, Object manager, Object returned, Throwable thrown) {
              SpringAiSpans.endTools((SpringAiSpans.Opened) state);
              return returned;
            }
          }));
    }
  }
}
