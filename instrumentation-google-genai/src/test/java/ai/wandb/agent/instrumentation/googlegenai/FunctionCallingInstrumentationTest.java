package ai.wandb.agent.instrumentation.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.CountedUsage;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.gemini.GeminiTestServer;
import ai.wandb.agent.testing.gemini.GeminiTestServer.Reply;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Tool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionCallingInstrumentationTest extends GeminiScenario {
  static GenerateContentConfig withTools() throws Exception {
    return GenerateContentConfig.builder()
        .tools(List.of(Tool.builder().functions(List.of(Stars.class.getMethod("starCount", String.class))).build()))
        .build();
  }

  @Test
  void functionsTheSdkRunsAreToolSpansBetweenTheModelCallsUnderOneAgentSpan() throws Exception {
    server.enqueue("generateContent", Reply.recorded("generate-content-function-call"));
    server.enqueue("generateContent", Reply.recorded("generate-content-after-function"));

    GenerateContentResponse response = client.models.generateContent(MODEL, "How many stars has snakeyaml?", withTools());

    assertEquals("snakeyaml/snakeyaml has 1024 stars.", response.text());
    Span root = agent.nextTrace(WAIT);
    assertEquals("google_genai.models.generate_content.automatic_function_calling", root.name());
    assertEquals(SpanKind.AGENT, root.kind());
    assertEquals(SpanStatus.OK, root.status());
    assertEquals(List.of("google_genai.models.generate_content", "google_genai.tool.starCount",
        "google_genai.models.generate_content"), root.children().stream().map(Span::name).toList());
    Span tool = root.children().get(1);
    assertEquals(SpanKind.TOOL, tool.kind());
    assertEquals(Map.of("repository", "snakeyaml/snakeyaml"), tool.inputs());
    assertEquals(Map.of("result", 1024), tool.outputs());
    Map<String, Object> call = map(map(list(map(map(list(map(root.children().get(0).outputs()).get("candidates"))
        .get(0)).get("content")).get("parts")).get(0)).get("functionCall"));
    assertEquals("starCount", call.get("name"));
    assertTrue(list(map(root.children().get(0).inputs()).get("tools")).toString().contains("starCount"),
        "the function declarations the SDK sent");
    assertEquals(77L + 107L, CountedUsage.total(root).totalTokens());
    assertTrue(server.requests().get(1).body().contains("functionResponse"), server.requests().get(1).body());
  }

  @Test
  void aFunctionThatThrowsIsAnErrorToolSpanAndTheSdkCarriesOn() throws Exception {
    server.enqueue("generateContent", Reply.json(200,
        GeminiTestServer.resource("generate-content-function-call.json").replace("\"starCount\"", "\"brokenStarCount\"")));
    server.enqueue("generateContent", Reply.recorded("generate-content-after-function"));
    GenerateContentConfig config = GenerateContentConfig.builder().tools(List.of(Tool.builder()
        .functions(List.of(Stars.class.getMethod("brokenStarCount", String.class))).build())).build();

    client.models.generateContent(MODEL, "How many stars has snakeyaml?", config);

    Span root = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.OK, root.status());
    Span tool = root.children().get(1);
    assertEquals("google_genai.tool.brokenStarCount", tool.name());
    assertEquals(SpanStatus.ERROR, tool.status());
    assertEquals(IllegalStateException.class, tool.error().getClass());
    assertEquals("the star service is down", tool.error().getMessage());
    assertTrue(server.requests().get(1).body().contains("\"error\""), "the SDK told the model it failed");
  }

  @Test
  void aFunctionCallTheAppRunsItselfIsInTheOutput() throws Exception {
    server.enqueue("generateContent", Reply.recorded("generate-content-function-call"));

    GenerateContentResponse response = client.models.generateContent(MODEL, "How many stars has snakeyaml?",
        GenerateContentConfig.builder().tools(List.of(Tool.builder().functionDeclarations(List.of(
            com.google.genai.types.FunctionDeclaration.builder().name("starCount").description("Stars of a repo")
                .build())).build())).build());

    FunctionCall call = response.functionCalls().get(0);
    assertEquals("starCount", call.name().get());
    Span span = agent.nextTrace(WAIT);
    assertEquals("google_genai.models.generate_content", span.name());
    assertTrue(span.children().isEmpty());
    assertEquals(List.of("STOP"), span.attributes().get("gen_ai.response.finish_reasons"));
    assertTrue(String.valueOf(span.outputs()).contains("functionCall"));
    assertTrue(String.valueOf(span.attributes().get("gen_ai.tool.definitions")).contains("Stars of a repo"));
  }

  /** The app's function; the SDK calls it by reflection, so it is public. */
  public static final class Stars {
    private Stars() {}

    public static Integer starCount(String repository) {
      return repository.startsWith("snakeyaml") ? 1024 : 0;
    }

    public static Integer brokenStarCount(String repository) {
      throw new IllegalStateException("the star service is down");
    }
  }
}
