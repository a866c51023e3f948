package ai.wandb.agent.instrumentation.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.wandb.agent.api.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamFoldTest {
  private static Map<String, Object> fold(String... chunks) throws Exception {
    List<Map<String, Object>> parsed = new ArrayList<>();
    for (String chunk : chunks) {
      parsed.add(Json.parseObject(chunk));
    }
    return StreamFold.fold(parsed);
  }

  @Test
  void textRunsTogetherThoughtsApartAndFunctionCallsKeepTheirPlace() throws Exception {
    Map<String, Object> folded = fold(
        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Let me \",\"thought\":true}]},\"index\":0}],"
            + "\"modelVersion\":\"gemini-2.5-pro\",\"responseId\":\"r1\"}",
        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"think.\",\"thought\":true},"
            + "{\"text\":\"The \"}]},\"index\":0}]}",
        "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"answer.\"},"
            + "{\"functionCall\":{\"name\":\"f\",\"args\":{}}}]},\"finishReason\":\"STOP\",\"index\":0}],"
            + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":4,\"totalTokenCount\":7}}");

    assertEquals(Json.parse("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Let me think.\",\"thought\":true},"
        + "{\"text\":\"The answer.\"},{\"functionCall\":{\"name\":\"f\",\"args\":{}}}],\"role\":\"model\"},"
        + "\"index\":0,\"finishReason\":\"STOP\"}],\"modelVersion\":\"gemini-2.5-pro\",\"responseId\":\"r1\","
        + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":4,\"totalTokenCount\":7}}"), folded);
  }

  @Test
  void candidatesAreFoldedByIndex() throws Exception {
    Map<String, Object> folded = fold(
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]},\"index\":1},"
            + "{\"content\":{\"parts\":[{\"text\":\"x\"}]},\"index\":0}]}",
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]},\"index\":1}]}");

    assertEquals("x", GeminiScenario.firstText(folded));
    assertEquals("ab", GeminiScenario.firstText(Map.of("candidates",
        List.of(GeminiScenario.list(folded.get("candidates")).get(1)))));
  }

  @Test
  void noChunksFoldToNothing() {
    assertEquals(Map.of(), StreamFold.fold(List.of()));
  }
}
