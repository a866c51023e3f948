package ai.wandb.agent.instrumentation.openai;

import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.Map;

/**
 * A tool definition built from raw JSON properties, which every SDK version accepts (3.0 turned
 * {@code ChatCompletionTool} into a union, so its typed builders differ across versions).
 */
final class Tools {
  private Tools() {}

  static ChatCompletionCreateParams withSearchTool(ChatCompletionCreateParams params) {
    Map<String, Object> function = Map.of(
        "name", "search_repositories",
        "description", "Search GitHub repositories",
        "parameters", Map.of("type", "object", "properties", Map.of("query", Map.of("type", "string"))));
    return params.toBuilder()
        .putAdditionalBodyProperty("tools", JsonValue.from(java.util.List.of(Map.of("type", "function", "function", function))))
        .putAdditionalBodyProperty("tool_choice", JsonValue.from("required"))
        .build();
  }
}
