package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Providers;
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
