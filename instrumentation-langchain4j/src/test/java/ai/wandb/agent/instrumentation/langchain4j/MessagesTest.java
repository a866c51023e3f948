package ai.wandb.agent.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LangChain4j's own message, tool and usage objects, read by reflection into OpenAI's shapes. */
class MessagesTest {
  private final ToolExecutionRequest call =
      ToolExecutionRequest.builder().id("call_1").name("orderStatus").arguments("{\"orderId\":\"A-17\"}").build();

  @Test
  void everyMessageTypeBecomesTheOpenAiMessageOfItsRole() {
    List<Object> messages = Messages.messages(List.of(
        SystemMessage.from("be brief"),
        UserMessage.from("where is A-17?"),
        AiMessage.from(List.of(call)),
        ToolExecutionResultMessage.from(call, "shipped")));

    assertEquals(Map.of("role", "system", "content", "be brief"), messages.get(0));
    assertEquals(Map.of("role", "user", "content", "where is A-17?"), messages.get(1));
    Map<?, ?> assistant = (Map<?, ?>) messages.get(2);
    assertEquals("assistant", assistant.get("role"));
    assertEquals(List.of(Map.of("id", "call_1", "type", "function",
        "function", Map.of("name", "orderStatus", "arguments", "{\"orderId\":\"A-17\"}"))), assistant.get("tool_calls"));
    assertEquals(Map.of("role", "tool", "tool_call_id", "call_1", "name", "orderStatus", "content", "shipped"),
        messages.get(3));
  }

  @Test
  void toolSpecificationsBecomeFunctionToolsWithTheirJsonSchema() {
    ToolSpecification specification = ToolSpecification.builder().name("orderStatus").description("Looks up an order")
        .parameters(JsonObjectSchema.builder().addStringProperty("orderId", "the order").required("orderId").build())
        .build();

    List<Object> tools = Messages.tools(List.of(specification), false);

    assertEquals(List.of(Map.of("type", "function", "function", Map.of("name", "orderStatus",
        "description", "Looks up an order", "parameters", Map.of("type", "object",
            "properties", Map.of("orderId", Map.of("type", "string", "description", "the order")),
            "required", List.of("orderId"))))), tools);
  }

  @Test
  void tokenUsageKeepsTheCountsTheProviderReported() {
    ai.wandb.agent.api.Usage usage = Messages.usage(new TokenUsage(10, 5));

    assertEquals(Map.of("input_tokens", 10L, "output_tokens", 5L, "total_tokens", 15L), usage.toJson());
  }

  @Test
  void finishReasonsAreNamedAsOpenAiNamesThem() {
    assertEquals("tool_calls", ChatRenderer.finishReason(dev.langchain4j.model.output.FinishReason.TOOL_EXECUTION));
    assertEquals("length", ChatRenderer.finishReason(dev.langchain4j.model.output.FinishReason.LENGTH));
  }
}
