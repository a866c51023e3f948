package ai.wandb.agent.api;

/** Token counts of one model call; a field the provider did not report is {@code null}. */
public final class Usage {
  private final Long inputTokens;
  private final Long outputTokens;
  private final Long totalTokens;
  private final Long cachedInputTokens;
  private final Long reasoningTokens;
  private final Long cacheCreationInputTokens;

  public Usage(Long inputTokens, Long outputTokens, Long totalTokens, Long cachedInputTokens, Long reasoningTokens) {
    this(inputTokens, outputTokens, totalTokens, cachedInputTokens, reasoningTokens, null);
  }

  /**
   * With the input tokens written to a prompt cache (Anthropic's {@code cache_creation_input_tokens}).
   * Like cached (read) tokens, they are part of {@code inputTokens}.
   */
  public Usage(Long inputTokens, Long outputTokens, Long totalTokens, Long cachedInputTokens, Long reasoningTokens,
      Long cacheCreationInputTokens) {
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.totalTokens = totalTokens != null || inputTokens == null || outputTokens == null
        ? totalTokens
        : Long.valueOf(inputTokens + outputTokens);
    this.cachedInputTokens = cachedInputTokens;
    this.reasoningTokens = reasoningTokens;
    this.cacheCreationInputTokens = cacheCreationInputTokens;
  }

  public Long inputTokens() {
    return inputTokens;
  }

  public Long outputTokens() {
    return outputTokens;
  }

  public Long totalTokens() {
    return totalTokens;
  }

  public Long cachedInputTokens() {
    return cachedInputTokens;
  }

  public Long reasoningTokens() {
    return reasoningTokens;
  }

  public Long cacheCreationInputTokens() {
    return cacheCreationInputTokens;
  }

  /** The DESIGN §4 field names, in a stable order, leaving out what was not reported. */
  public java.util.Map<String, Object> toJson() {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<String, Object>();
    putIfPresent(out, "input_tokens", inputTokens);
    putIfPresent(out, "output_tokens", outputTokens);
    putIfPresent(out, "total_tokens", totalTokens);
    putIfPresent(out, "cached_input_tokens", cachedInputTokens);
    putIfPresent(out, "reasoning_tokens", reasoningTokens);
    putIfPresent(out, "cache_creation_input_tokens", cacheCreationInputTokens);
    return out;
  }

  private static void putIfPresent(java.util.Map<String, Object> out, String key, Long value) {
    if (value != null) {
      out.put(key, value);
    }
  }
}
