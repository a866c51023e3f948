package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.stainless.StainlessTree;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tree read from openai-java's model structure equals what the SDK's own mapper writes, key order
 * included, with no value left to the mapper, for every response and request type the renderer reads:
 * the recorded responses and rich request bodies deserialized by the SDK (unions then carry their raw
 * JSON as well as their variant), and a request built with the SDK's builders. Runs on every SDK version
 * of the suite.
 */
class WireTreeTest {
  private static final String[][] RESPONSES = {
      {"com.openai.models.chat.completions.ChatCompletion", "chat-completion"},
      {"com.openai.models.chat.completions.ChatCompletion", "chat-completion-tool-call"},
      {"com.openai.models.chat.completions.ChatCompletion", "chat-completion-tool-calls"},
      {"com.openai.models.chat.completions.ChatCompletion", "chat-completion-after-tools"},
      {"com.openai.models.chat.completions.ChatCompletion", "chat-completion-structured"},
      {"com.openai.models.completions.Completion", "completion"},
      {"com.openai.models.embeddings.CreateEmbeddingResponse", "embeddings"},
      {"com.openai.models.embeddings.CreateEmbeddingResponse", "embeddings-base64"},
      {"com.openai.models.responses.Response", "response"},
      {"com.openai.models.beta.threads.runs.Run", "run-queued"},
      {"com.openai.models.beta.threads.runs.Run", "run-completed"},
  };

  private static final String[][] REQUESTS = {
      {"com.openai.models.chat.completions.ChatCompletionCreateParams$Body", "{\"model\":\"gpt-4o-mini\","
          + "\"messages\":[{\"role\":\"system\",\"content\":\"You write GitHub search URLs.\"},"
          + "{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"Be brief.\"}]},"
          + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"find\"},{\"type\":\"image_url\","
          + "\"image_url\":{\"url\":\"https://example.com/a.png\",\"detail\":\"low\"}}],\"name\":\"ann\"},"
          + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
          + "\"function\":{\"name\":\"search\",\"arguments\":\"{\\\"q\\\":\\\"yaml\\\"}\"}}]},"
          + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"[]\"}],"
          + "\"temperature\":0.2,\"top_p\":0.9,\"max_completion_tokens\":200,\"seed\":42,\"stop\":[\"\\n\"],\"n\":1,"
          + "\"frequency_penalty\":-0.5,\"presence_penalty\":1e-3,\"logit_bias\":{\"50256\":-100},\"user\":\"u1\","
          + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"search\",\"description\":\"Search\","
          + "\"parameters\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]},"
          + "\"strict\":true}}],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"search\"}},"
          + "\"parallel_tool_calls\":false,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
          + "{\"name\":\"urls\",\"schema\":{\"type\":\"object\"},\"strict\":true}},"
          + "\"stream_options\":{\"include_usage\":true},\"metadata\":{\"k\":\"v\"},\"x_unknown\":{\"a\":[1,2.5,null]}}"},
      {"com.openai.models.chat.completions.ChatCompletionCreateParams$Body",
          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":\"auto\","
          + "\"stop\":\"END\",\"response_format\":{\"type\":\"json_object\"},\"max_tokens\":3000000000}"},
      {"com.openai.models.embeddings.EmbeddingCreateParams$Body",
          "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"float\",\"dimensions\":256}"},
      {"com.openai.models.embeddings.EmbeddingCreateParams$Body", "{\"model\":\"m\",\"input\":\"one\"}"},
      {"com.openai.models.completions.CompletionCreateParams$Body",
          "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say\",\"max_tokens\":5,\"temperature\":0,"
          + "\"stop\":\"\\n\",\"echo\":false,\"logprobs\":2}"},
      {"com.openai.models.responses.ResponseCreateParams$Body",
          "{\"model\":\"gpt-4o-mini\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"},{\"type\":\"message\","
          + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"x\"}]}],\"instructions\":\"be brief\","
          + "\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"type\":\"object\"},\"strict\":true}],"
          + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"n\",\"schema\":{\"type\":\"object\"},\"strict\":true}},"
          + "\"max_output_tokens\":50,\"previous_response_id\":\"resp_1\",\"store\":false,\"reasoning\":{\"effort\":\"low\"}}"},
      {"com.openai.models.responses.ResponseCreateParams$Body", "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\"}"},
      {"com.openai.models.beta.threads.runs.RunCreateParams$Body",
          "{\"assistant_id\":\"asst_1\",\"instructions\":\"x\",\"additional_messages\":[{\"role\":\"user\","
          + "\"content\":\"hi\"}],\"tools\":[{\"type\":\"code_interpreter\"}],\"temperature\":0.5,"
          + "\"max_prompt_tokens\":100,\"truncation_strategy\":{\"type\":\"auto\"},\"response_format\":\"auto\"}"},
      {"com.openai.models.beta.threads.ThreadCreateAndRunParams$Body",
          "{\"assistant_id\":\"asst_1\",\"thread\":{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]},"
          + "\"tool_choice\":\"none\",\"metadata\":{}}"},
  };

  @Test
  void recordedResponsesRenderAsTheSdkMapperWritesThem() throws Exception {
    for (String[] response : RESPONSES) {
      assertRendersAsMapper(read(response[0], recorded(response[1])), response[1]);
    }
  }

  @Test
  void requestBodiesRenderAsTheSdkMapperWritesThem() throws Exception {
    for (String[] request : REQUESTS) {
      assertRendersAsMapper(read(request[0], request[1]), request[1]);
    }
  }

  @Test
  void builtRequestsRenderAsTheSdkMapperWritesThem() throws Exception {
    ChatCompletionCreateParams params = Tools.withSearchTool(OpenAiScenario.question()).toBuilder()
        .addUserMessage("and for toml?")
        .putAdditionalBodyProperty("x_extra", JsonValue.from(List.of(1, "two", Map.of("three", 3.5))))
        .build();
    assertRendersAsMapper(params._body(), "built chat request");
  }

  private static void assertRendersAsMapper(Object sdkObject, String what) throws Exception {
    List<Object> leftToMapper = new ArrayList<>();
    Object tree = new StainlessTree(OpenAiInstrumentationModule.SDK).tree(sdkObject, value -> {
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
    try (InputStream in = WireTreeTest.class.getResourceAsStream("/openai/" + name + ".json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
