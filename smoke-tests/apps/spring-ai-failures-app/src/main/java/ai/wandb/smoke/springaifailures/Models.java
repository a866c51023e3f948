package ai.wandb.smoke.springaifailures;

import java.lang.reflect.Method;
import java.time.Duration;
import org.springframework.ai.chat.model.ChatModel;

/**
 * The OpenAI chat model on the Spring AI the class path holds: 1.x talks through its own OpenAiApi client
 * ({@link ModelsV1}, compiled against 1.x); 2.x runs on openai-java, configured through its options (built
 * here by name, since this app compiles against 1.x). No retries and a two-second timeout on both.
 */
final class Models {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private Models() {}

  /** {@code url}: where the server answers {@code <url>/v1/chat/completions}. */
  static ChatModel chat(String url) throws Exception {
    if (present("org.springframework.ai.openai.api.OpenAiApi")) {
      return ModelsV1.chat(url);
    }
    Object options = Class.forName("org.springframework.ai.openai.OpenAiChatOptions").getMethod("builder").invoke(null);
    options = call(options, "baseUrl", url + "/v1");
    options = call(options, "apiKey", "sk-test");
    options = call(options, "model", "gpt-4o-mini");
    options = call(options, "maxRetries", 0);
    options = call(options, "timeout", TIMEOUT);
    options = options.getClass().getMethod("build").invoke(options);
    Object model = Class.forName("org.springframework.ai.openai.OpenAiChatModel").getMethod("builder").invoke(null);
    model = call(model, "options", options);
    return (ChatModel) model.getClass().getMethod("build").invoke(model);
  }

  private static boolean present(String className) {
    try {
      Class.forName(className);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** The builder's one-argument method of that name. */
  private static Object call(Object builder, String name, Object argument) throws Exception {
    for (Method method : builder.getClass().getMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == 1
          && (method.getParameterTypes()[0].isPrimitive() || method.getParameterTypes()[0].isInstance(argument))) {
        return method.invoke(builder, argument);
      }
    }
    throw new NoSuchMethodException(builder.getClass().getName() + "." + name);
  }
}
