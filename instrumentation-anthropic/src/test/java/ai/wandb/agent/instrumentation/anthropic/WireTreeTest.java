package ai.wandb.agent.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.stainless.StainlessTree;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tree read from anthropic-java's model structure equals what the SDK's own mapper writes, key order
 * included, with no value left to the mapper, for every response and request type the renderer reads
 * (messages, beta messages, token counts, batches with their timestamps): the recorded responses and
 * rich request bodies deserialized by the SDK, and requests built with its builders. Runs on both SDK
 * versions of the suite.
 */
class WireTreeTest {
  private static final String[][] RESPONSES = {
      {"com.anthropic.models.messages.Message", "message"},
      {"com.anthropic.models.messages.Message", "message-tool-use"},
      {"com.anthropic.models.messages.Message", "message-thinking"},
      {"com.anthropic.models.beta.messages.BetaMessage", "message"},
      {"com.anthropic.models.beta.messages.BetaMessage", "message-tool-use"},
      {"com.anthropic.models.beta.messages.BetaMessage", "message-thinking"},
      {"com.anthropic.models.messages.MessageTokensCount", "count-tokens"},
      {"com.anthropic.models.beta.messages.BetaMessageTokensCount", "count-tokens"},
      {"com.anthropic.models.messages.batches.MessageBatch", "batch-in-progress"},
      {"com.anthropic.models.messages.batches.MessageBatch", "batch-ended"},
  };

  private static final String MESSAGES_BODY = "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":1024,"
      + "\"system\":[{\"type\":\"text\",\"text\":\"You write GitHub search URLs.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"find java yaml parsers\"},"
      + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"hm\",\"signature\":\"sig\"},"
      + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"search\",\"input\":{\"q\":\"yaml\",\"n\":2}}]},"
      + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"[]\","
      + "\"is_error\":false},{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\","
      + "\"data\":\"iVBORw0KGgo=\"}},{\"type\":\"text\",\"text\":\"and toml?\"}]}],"
      + "\"temperature\":0.2,\"top_p\":0.9,\"top_k\":40,\"stop_sequences\":[\"END\"],\"metadata\":{\"user_id\":\"u1\"},"
      + "\"tools\":[{\"name\":\"search\",\"description\":\"Search\",\"input_schema\":{\"type\":\"object\","
      + "\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}}],"
      + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"search\",\"disable_parallel_tool_use\":true},"
      + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048},\"x_unknown\":[1,2.5,null,\"s\"]}";

  private static final String[][] REQUESTS = {
      {"com.anthropic.models.messages.MessageCreateParams$Body", MESSAGES_BODY},
      {"com.anthropic.models.beta.messages.MessageCreateParams$Body", MESSAGES_BODY},
      {"com.anthropic.models.messages.MessageCreateParams$Body", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,"
          + "\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":{\"type\":\"auto\"}}"},
      {"com.anthropic.models.messages.MessageCountTokensParams$Body", "{\"model\":\"claude-haiku-4-5\","
          + "\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"name\":\"t\","
          + "\"input_schema\":{\"type\":\"object\"}}]}"},
      {"com.anthropic.models.beta.messages.MessageCountTokensParams$Body", "{\"model\":\"claude-haiku-4-5\","
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
      {"com.anthropic.models.messages.batches.BatchCreateParams$Body", "{\"requests\":[{\"custom_id\":\"a\","
          + "\"params\":" + MESSAGES_BODY + "},{\"custom_id\":\"b\",\"params\":{\"model\":\"m\",\"max_tokens\":1,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}]}"},
      {"com.anthropic.models.beta.messages.batches.BatchCreateParams$Body", "{\"requests\":[{\"custom_id\":\"a\","
          + "\"params\":{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}]}"},
  };

  @Test
  void recordedResponsesRenderAsTheSdkMapperWritesThem() throws Exception {
    for (String[] response : RESPONSES) {
      assertRendersAsMapper(read(response[0], recorded(response[1])), response[0] + " " + response[1]);
    }
  }

  @Test
  void requestBodiesRenderAsTheSdkMapperWritesThem() throws Exception {
    for (String[] request : REQUESTS) {
      assertRendersAsMapper(read(request[0], request[1]), request[0]);
    }
  }

  @Test
  void builtRequestsRenderAsTheSdkMapperWritesThem() throws Exception {
    assertRendersAsMapper(AnthropicScenario.question()._body(), "built question");
    assertRendersAsMapper(AnthropicScenario.questionWithTool().toBuilder()
        .putAdditionalBodyProperty("x_extra", JsonValue.from(List.of(1, "two", Map.of("three", 3.5))))
        .build()._body(), "built question with a tool");
  }

  private static void assertRendersAsMapper(Object sdkObject, String what) throws Exception {
    List<Object> leftToMapper = new ArrayList<>();
    Object tree = new StainlessTree(AnthropicInstrumentationModule.SDK).tree(sdkObject, value -> {
      leftToMapper.add(value);
      return Json.parse(ObjectMappers.jsonMapper().writeValueAsBytes(value));
    });
    Map<String, Object> expected = Json.parseObject(ObjectMappers.jsonMapper().writeValueAsBytes(sdkObject));
    assertEquals(expected, tree, what);
    assertEquals(Json.write(expected), Json.write(tree), what + ": key order");
    assertEquals(List.of(), leftToMapper, what + ": values left to the mapper");
  }

  private static Object read(String className, String json) throws Exception {
    return ObjectMappers.jsonMapper().readValue(json, Class.forName(className));
  }

  private static String recorded(String name) throws Exception {
    try (InputStream in = WireTreeTest.class.getResourceAsStream("/anthropic/" + name + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
