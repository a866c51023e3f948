package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Arrays;
import java.util.List;

/**
 * {@code Models} and {@code AsyncModels}. Every public overload ({@code String}, {@code Content} or a list;
 * the chats; each round of automatic function calling) ends in one package-private {@code private*}
 * method per wire call, so those are hooked: one span per HTTP request, the request as sent. The public
 * list form of {@code generateContent} is hooked only to open the span of automatic function calling
 * around the rounds. In 1.0.0 {@code AsyncModels} runs the blocking methods on the common pool (it has
 * no {@code apiClient} field and is not woven; the executors instrumentation carries the caller's span
 * there); later versions (1.80.0 and 2.x seen) have their own {@code private*} methods returning futures.
 */
final class ModelsInstrumentation implements TypeInstrumentation {
  static final String MODELS = "com.google.genai.Models";
  static final String ASYNC_MODELS = "com.google.genai.AsyncModels";

  private final String type;
  private final boolean async;

  ModelsInstrumentation(String type, boolean async) {
    this.type = type;
    this.async = async;
  }

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named(type);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    Hook hook = new Hook(async);
    return Arrays.asList(
        new MethodAdvice(MethodMatcher.named("privateGenerateContent", "privateGenerateContentStream")
            .takesArguments(3).takesArgument(1, "java.util.List"), hook).readingFields("apiClient"),
        new MethodAdvice(MethodMatcher.named("privateEmbedContent").takesArgument(1, "java.util.List"), hook)
            .readingFields("apiClient"),
        new MethodAdvice(MethodMatcher.named("countTokens", "generateContent").takesArguments(3)
            .takesArgument(1, "java.util.List"), hook).readingFields("apiClient"));
  }

  static GenAiOperation operation(String method, Object config) {
    if (method.equals("privateGenerateContent")) {
      return GenAiOperation.GENERATE;
    } else if (method.equals("privateGenerateContentStream")) {
      return GenAiOperation.GENERATE_STREAM;
    } else if (method.equals("privateEmbedContent")) {
      return GenAiOperation.EMBED;
    } else if (method.equals("countTokens")) {
      return GenAiOperation.COUNT_TOKENS;
    }
    return AutomaticFunctionCalling.enabled(config) ? GenAiOperation.AUTOMATIC_FUNCTION_CALLING : null;
  }

  static final class Hook implements MethodHook {
    private final boolean async;

    Hook(boolean async) {
      this.async = async;
    }

    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      // The method's arguments, then the apiClient field; the config is always the last argument.
      int count = arguments.length - 1;
      Object config = arguments[count - 1];
      GenAiOperation operation = operation(site.methodName(), config);
      if (operation == null) {
        return null;
      }
      // 2.x's five-argument privateEmbedContent takes a list or a single Content.
      Object contents = arguments[1] != null || count < 5 ? arguments[1] : arguments[2];
      return GenAiCalls.start(operation, arguments[0], contents, config, site.field(arguments, 0));
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
}
