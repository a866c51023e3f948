package ai.wandb.agent.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestParametersTest {
  /** Shaped like a provider's parameters class: common accessors, its own ones, custom parameters, a builder. */
  public static final class ProviderParameters {
    private final Double temperature;
    private final List<String> stopSequences;
    private final Integer maxCompletionTokens;
    private final String reasoningEffort;

    ProviderParameters(Double temperature, List<String> stopSequences, Integer maxCompletionTokens,
        String reasoningEffort) {
      this.temperature = temperature;
      this.stopSequences = stopSequences;
      this.maxCompletionTokens = maxCompletionTokens;
      this.reasoningEffort = reasoningEffort;
    }

    public Double temperature() {
      return temperature;
    }

    public List<String> stopSequences() {
      return stopSequences;
    }

    public Integer maxCompletionTokens() {
      return maxCompletionTokens;
    }

    public String reasoningEffort() {
      return reasoningEffort;
    }

    public Map<String, Object> customParameters() {
      return Map.of("temperature", 9.9, "extra_body_field", Map.of("k", 1));
    }

    public StringBuilder toStringBuilder() {
      throw new AssertionError("a builder is not a parameter");
    }
  }

  @Test
  void everyParameterInOpenAiNamesWithTheModelsDefaultsWhereUnsetOrEmpty() {
    ProviderParameters request = new ProviderParameters(0.2, List.of(), null, "low");
    ProviderParameters defaults = new ProviderParameters(0.7, List.of("END"), 300, "high");
    Map<String, Object> body = new LinkedHashMap<>();

    RequestParameters.put(body, request, defaults);

    assertEquals(Map.of("temperature", 0.2, "stop", List.of("END"), "max_completion_tokens", 300,
        "reasoning_effort", "low", "extra_body_field", Map.of("k", 1)), body);
  }

  @Test
  void accessorNamesBecomeSnakeCase() {
    assertEquals("parallel_tool_calls", RequestParameters.snakeCase("parallelToolCalls"));
    assertEquals("seed", RequestParameters.snakeCase("seed"));
  }
}
