package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Providers;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Token usage for chat (and legacy completion) streams the app did not ask usage for. OpenAI sends usage in a stream only with
 * {@code stream_options.include_usage}; when the app left {@code stream_options} unset, the agent sends
 * a copy of the params that sets it, and drops the one extra chunk it causes (empty {@code choices},
 * only {@code usage}) before the app sees it, so the app reads exactly the chunks it would have read.
 * Only for endpoints known to accept the option: api.openai.com, DeepSeek, OpenRouter, Groq and loopback
 * servers (vLLM, llama.cpp, LM Studio). Not for Azure (api-versions before 2024-09 reject the field),
 * Ollama, Bedrock, Mistral or unknown hosts, where an unknown field could fail the app's call; there a
 * stream has usage only if the app asked for it. An app that reads the raw SSE body itself
 * ({@code withRawResponse().createStreaming(...).body()}) would see the extra chunk; parsed streams do not.
 */
final class StreamUsage {
  private static final Set<String> ACCEPTING =
      new HashSet<String>(Arrays.asList("openai", "deepseek", "openrouter", "groq", "local"));

  /**
   * Per params class, what copying its params with {@code include_usage} takes, found once (looking
   * methods up copies the class's method table each time): the getter {@code streamOptions()},
   * {@code toBuilder()}, the builder's {@code streamOptions(options)} and {@code build()}, and the
   * options object itself (immutable, so shared by every call); null where the class lacks them.
   */
  private static final ClassValue<Object[]> COPY = new ClassValue<Object[]>() {
    @Override
    protected Object[] computeValue(Class<?> params) {
      try {
        Class<?> optionsType = Class.forName("com.openai.models.chat.completions.ChatCompletionStreamOptions", false,
            params.getClassLoader());
        Object optionsBuilder = optionsType.getMethod("builder").invoke(null);
        optionsBuilder.getClass().getMethod("includeUsage", boolean.class).invoke(optionsBuilder, true);
        Object options = optionsBuilder.getClass().getMethod("build").invoke(optionsBuilder);
        Method toBuilder = params.getMethod("toBuilder");
        Class<?> builder = toBuilder.getReturnType();
        return new Object[] {params.getMethod("streamOptions"), toBuilder, builder.getMethod("streamOptions", optionsType),
            builder.getMethod("build"), options};
      } catch (Throwable e) {
        return null;
      }
    }
  };
  private static final ClassValue<Method> BASE_URL = new ClassValue<Method>() {
    @Override
    protected Method computeValue(Class<?> clientOptions) {
      try {
        return clientOptions.getMethod("baseUrl");
      } catch (NoSuchMethodException e) {
        return null;
      }
    }
  };

  private StreamUsage() {}

  /** The params with {@code stream_options.include_usage=true}, or the app's own when that is not safe. */
  static Object requested(Object params, Object clientOptions) {
    try {
      Object[] copy = COPY.get(params.getClass());
      Method baseUrl = BASE_URL.get(clientOptions.getClass());
      if (copy == null || baseUrl == null || ((Optional<?>) ((Method) copy[0]).invoke(params)).isPresent()
          || !ACCEPTING.contains(Providers.fromBaseUrl(String.valueOf(baseUrl.invoke(clientOptions))))) {
        return params;
      }
      Object builder = ((Method) copy[1]).invoke(params);
      ((Method) copy[2]).invoke(builder, copy[4]);
      return ((Method) copy[3]).invoke(builder);
    } catch (Throwable e) {
      return params;
    }
  }

  /**
   * Whether an SSE line is the data of the chunk {@code include_usage} adds at the end: empty
   * {@code choices} and a {@code usage} object (the other chunks carry {@code "usage":null}). Read from
   * the text, not parsed, since this runs on the app thread for each line: an unescaped quoted name
   * followed by a colon is a key, as quotes inside string values are escaped, and no nested object of
   * a chunk has a key of either name.
   */
  static boolean isUsageOnly(String line) {
    return line.startsWith("data:") && keyThen(line, "\"choices\"", ":[]") && keyThen(line, "\"usage\"", ":{");
  }

  /** Whether {@code key} occurs followed by the characters of {@code then}, with any whitespace between. */
  private static boolean keyThen(String line, String key, String then) {
    for (int at = line.indexOf(key); at >= 0; at = line.indexOf(key, at + 1)) {
      int i = at + key.length();
      int matched = 0;
      while (matched < then.length()) {
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
          i++;
        }
        if (i == line.length() || line.charAt(i) != then.charAt(matched)) {
          break;
        }
        i++;
        matched++;
      }
      if (matched == then.length()) {
        return true;
      }
    }
    return false;
  }
}
