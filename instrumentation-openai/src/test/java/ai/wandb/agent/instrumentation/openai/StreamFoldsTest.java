package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.wandb.agent.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamFoldsTest {
  private static List<Map<String, Object>> events(String... json) throws Exception {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String event : json) {
      out.add(Json.parseObject(event));
    }
    return out;
  }

  @Test
  void chatChunksOfSeveralChoicesAndToolCallsFoldIntoOneCompletion() throws Exception {
    Map<String, Object> completion = StreamFolds.chat(events(
        "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":1,\"delta\":{\"role\":\"assistant\",\"content\":\"b\"}},"
            + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"t\","
            + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}",
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
            + "{\"arguments\":\":1}\"}}]},\"finish_reason\":\"tool_calls\"},{\"index\":1,\"delta\":{\"content\":\"c\"},"
            + "\"finish_reason\":\"stop\"}]}",
        "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"total_tokens\":5}}"));

    assertEquals("c1", completion.get("id"));
    assertEquals("chat.completion", completion.get("object"));
    List<Map<String, Object>> choices = StreamFolds.maps(completion.get("choices"));
    Map<String, Object> first = StreamFolds.map(choices.get(0).get("message"));
    assertNull(first.get("content"));
    Map<String, Object> call = StreamFolds.maps(first.get("tool_calls")).get(0);
    assertEquals("{\"a\":1}", StreamFolds.map(call.get("function")).get("arguments"));
    assertEquals("tool_calls", choices.get(0).get("finish_reason"));
    assertEquals("bc", StreamFolds.map(choices.get(1).get("message")).get("content"));
    assertEquals(5L, ((Number) StreamFolds.map(completion.get("usage")).get("total_tokens")).longValue());
  }

  @Test
  void aResponseStreamWithoutItsFinalEventKeepsTheTextDeltasReadSoFar() throws Exception {
    Map<String, Object> response = StreamFolds.response(events(
        "{\"type\":\"response.created\",\"response\":{\"id\":\"r1\",\"status\":\"in_progress\"}}",
        "{\"type\":\"response.output_text.delta\",\"delta\":\"he\"}",
        "{\"type\":\"response.output_text.delta\",\"delta\":\"llo\"}"));

    assertEquals("r1", response.get("id"));
    assertEquals("hello", response.get("output_text"));
  }

  @Test
  void anAssistantsStreamGivesTheLastRunStateAndTheCompletedMessages() throws Exception {
    Map<String, Object> run = StreamFolds.assistantRun(events(
        "{\"event\":\"thread.run.created\",\"data\":{\"object\":\"thread.run\",\"status\":\"queued\"}}",
        "{\"event\":\"thread.message.delta\",\"data\":{\"object\":\"thread.message.delta\",\"delta\":{\"content\":"
            + "[{\"type\":\"text\",\"text\":{\"value\":\"hi\"}}]}}}",
        "{\"event\":\"thread.run.requires_action\",\"data\":{\"object\":\"thread.run\",\"status\":\"requires_action\"}}"));

    assertEquals("requires_action", StreamFolds.map(run.get("run")).get("status"));
    assertEquals("hi", run.get("text"));
  }
}
