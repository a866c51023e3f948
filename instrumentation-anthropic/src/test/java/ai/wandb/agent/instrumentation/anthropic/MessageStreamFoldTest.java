package ai.wandb.agent.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.wandb.agent.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageStreamFoldTest {
  private static List<Map<String, Object>> events(String... json) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String event : json) {
      out.add(Json.parseObject(event));
    }
    return out;
  }

  @Test
  void deltasExtendTheirBlockByIndexAndTheLastUsageWins() throws Exception {
    Map<String, Object> message = MessageStreamFold.message(events(
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\",\"content\":[],"
            + "\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":5,\"output_tokens\":1}}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{}}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}",
        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo\"}}",
        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
            + "\"usage\":{\"output_tokens\":7,\"input_tokens\":null}}",
        "{\"type\":\"message_stop\"}"));

    assertEquals("msg_1", message.get("id"));
    assertEquals("tool_use", message.get("stop_reason"));
    assertEquals(Map.of("input_tokens", 10, "cache_read_input_tokens", 5, "output_tokens", 7), message.get("usage"));
    List<?> content = (List<?>) message.get("content");
    assertEquals(Map.of("type", "text", "text", "Hello"), content.get(0));
    assertEquals(Map.of("type", "tool_use", "id", "t1", "name", "f", "input", Map.of("a", 1)), content.get(1));
  }

  @Test
  void aToolInputCutShortStaysTheTextRead() throws Exception {
    Map<String, Object> message = MessageStreamFold.message(events(
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"content\":[]}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{}}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\": \\\"ja\"}}"));

    Map<?, ?> block = (Map<?, ?>) ((List<?>) message.get("content")).get(0);
    assertEquals("{\"q\": \"ja", block.get("input"));
    assertEquals(null, message.get("stop_reason"));
  }

  @Test
  void thinkingAndItsSignatureAreRebuilt() throws Exception {
    Map<String, Object> message = MessageStreamFold.message(events(
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"a \"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"b\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}"));

    assertEquals(Map.of("type", "thinking", "thinking", "a b", "signature", "sig"),
        ((List<?>) message.get("content")).get(0));
  }
}
