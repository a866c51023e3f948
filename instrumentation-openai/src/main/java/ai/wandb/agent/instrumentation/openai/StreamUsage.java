package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Providers;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
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

  /** {@code choices()} and {@code usage()} of a chunk class, looked up once per class. */
  private static final ClassValue<Method[]> CHUNK_ACCESSORS = new ClassValue<Method[]>() {
    @Override
    protected Method[] computeValue(Class<?> type) {
      try {
        return new Method[] {type.getMethod("choices"), type.getMethod("usage")};
      } catch (NoSuchMethodException e) {
        return null;
      }
    }
  };

  private StreamUsage() {}

  /** The params with {@code stream_options.include_usage=true}, or the app's own when that is not safe. */
  static Object requested(Object params, Object clientOptions) {
    try {
      if (((Optional<?>) params.getClass().getMethod("streamOptions").invoke(params)).isPresent()) {
        return params;
      }
      Object baseUrl = clientOptions.getClass().getMethod("baseUrl").invoke(clientOptions);
      if (!ACCEPTING.contains(Providers.fromBaseUrl(String.valueOf(baseUrl)))) {
        return params;
      }
      ClassLoader loader = params.getClass().getClassLoader();
      Class<?> optionsType =
          Class.forName("com.openai.models.chat.completions.ChatCompletionStreamOptions", false, loader);
      Object optionsBuilder = optionsType.getMethod("builder").invoke(null);
      optionsBuilder.getClass().getMethod("includeUsage", boolean.class).invoke(optionsBuilder, true);
      Object options = optionsBuilder.getClass().getMethod("build").invoke(optionsBuilder);
      Object builder = params.getClass().getMethod("toBuilder").invoke(params);
      builder.getClass().getMethod("streamOptions", optionsType).invoke(builder, options);
      return builder.getClass().getMethod("build").invoke(builder);
    } catch (Throwable e) {
      return params;
    }
  }

  /** The chunk {@code include_usage} adds at the end: no choices, only usage. */
  static boolean isUsageOnly(Object chunk) {
    try {
      Method[] accessors = CHUNK_ACCESSORS.get(chunk.getClass());
      return accessors != null && ((List<?>) accessors[0].invoke(chunk)).isEmpty()
          && ((Optional<?>) accessors[1].invoke(chunk)).isPresent();
    } catch (Throwable e) {
      return false;
    }
  }
}
