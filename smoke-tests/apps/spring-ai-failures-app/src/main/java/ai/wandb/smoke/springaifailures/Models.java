package ai.wandb.smoke.springaifailures;

import java.lang.reflect.Method;
import java.time.Duration;
import org.springframework.ai.chat.model.ChatModel;

/**
 * The OpenAI chat model on the Spring AI the class path holds: 1.x talks through its own OpenAiApi client
 * ({@link ModelsV1}, compiled against 1.x); 2.x runs on openai-java, configured through its options (built
 * here by name, since this app compiles against 1.x). No retries and a two-second timeout on both.
 *
 * <p>2.x's one timeout option is openai-java's whole-call timeout, which also stands for its read timeout
 * unless the client sets one: OkHttp's call and read timers then share one deadline, and which one fires
 * (the cause the app sees) varies from run to run. So a {@code timeout/} scenario's 2.x model runs on
 * openai-java clients the app builds itself ({@code OpenAiChatModel.builder().openAiClient(...)}) with a
 * read timeout well above the call's, as openai-failures-app does: the call timer alone fires.
 */
final class Models {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private Models() {}

  /** {@code url}: where the server answers {@code <url>/v1/chat/completions}, for {@code scenario}. */
  static ChatModel chat(String url, String scenario) throws Exception {
    if (present("org.springframework.ai.openai.api.OpenAiApi")) {
      return ModelsV1.chat(url);
    }
    boolean ownClients = scenario.startsWith("timeout/");
    Object options = Class.forName("org.springframework.ai.openai.OpenAiChatOptions").getMethod("builder").invoke(null);
    options = call(options, "baseUrl", url + "/v1");
    options = call(options, "apiKey", "sk-test");
    options = call(options, "model", "gpt-4o-mini");
    options = call(options, "maxRetries", 0);
    options = call(options, "timeout", TIMEOUT);
    options = build(options);
    Object model = Class.forName("org.springframework.ai.openai.OpenAiChatModel").getMethod("builder").invoke(null);
    model = call(model, "options", options);
    if (ownClients) {
      model = call(model, "openAiClient", openAiClient("com.openai.client.okhttp.OpenAIOkHttpClient", url));
      model = call(model, "openAiClientAsync", openAiClient("com.openai.client.okhttp.OpenAIOkHttpClientAsync", url));
    }
    return (ChatModel) build(model);
  }

  /**
   * openai-java's client of that class with a 30-second read timeout; the whole call's, {@link #TIMEOUT},
   * is the options' (Spring AI sets it on each request).
   */
  private static Object openAiClient(String className, String url) throws Exception {
    Object timeout = Class.forName("com.openai.core.Timeout").getMethod("builder").invoke(null);
    timeout = call(timeout, "read", Duration.ofSeconds(30));
    timeout = call(timeout, "request", TIMEOUT);
    Object client = Class.forName(className).getMethod("builder").invoke(null);
    client = call(client, "baseUrl", url + "/v1");
    client = call(client, "apiKey", "sk-test");
    client = call(client, "maxRetries", 0);
    client = call(client, "timeout", build(timeout));
    return build(client);
  }

  private static Object build(Object builder) throws Exception {
    return builder.getClass().getMethod("build").invoke(builder);
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
