package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.GEMINI_ASSISTANT;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.wandb.WandbTestServer;
import ai.wandb.agent.testing.wandb.WeaveCall;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The google-genai example app (generation, a stream, a chat, automatic function calling, an embedding,
 * a token count, an async call, a quota error) under the real agent jar, answering from its built-in
 * loopback Gemini endpoint: the app prints what it prints without the agent, and each call is one
 * correct trace, in the local files and in Weave.
 */
class GeminiAssistantSmokeTest {
  @TempDir
  Path dir;

  private static List<String> names(List<?> spans) {
    return spans.stream().map(span -> (String) object(span).get("name")).collect(Collectors.toList());
  }

  private static long totalTokens(Object span) {
    return ((Number) object(object(span).get("usage")).get("total_tokens")).longValue();
  }

  @Test
  void everyCallIsOneTraceAndTheAppRunsAsWithoutTheAgent(@TempDir Path plainDir) throws Exception {
    JavaProcess.Result plain = java().in(plainDir).runJar(GEMINI_ASSISTANT);
    JavaProcess.Result traced = java().withAgent(null).in(dir).runJar(GEMINI_ASSISTANT);

    assertEquals(0, plain.exitCode(), plain.stdout() + plain.stderr());
    assertTrue(plain.stdout().contains("function call: snakeyaml/snakeyaml has 1024 stars."), plain.stdout());
    assertTrue(plain.stdout().contains("quota: failed as intended: ClientException 429"), plain.stdout());
    assertEquals(plain.exitCode(), traced.exitCode());
    assertEquals(plain.stdout(), traced.stdout());
    assertEquals(plain.appStderr(), traced.appStderr());

    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(List.of("google_genai.models.generate_content", "google_genai.models.generate_content_stream",
        "google_genai.chats.send_message", "google_genai.chats.send_message",
        "google_genai.models.generate_content.automatic_function_calling", "google_genai.models.embed_content",
        "google_genai.models.count_tokens", "google_genai.models.generate_content",
        "google_genai.models.generate_content"), names(traces), traced.stderr());

    for (Map<String, Object> trace : traces) {
      Map<String, Object> attributes = object(trace.get("attributes"));
      assertEquals("gcp.gemini", attributes.get("gen_ai.provider.name"), trace.get("name").toString());
      assertTrue(object(trace.get("inputs")).containsKey("model"), trace.get("name").toString());
    }
    Map<String, Object> generate = traces.get(0);
    assertEquals("LLM", generate.get("kind"));
    assertEquals("gemini-2.5-flash", object(generate.get("attributes")).get("gen_ai.response.model"));
    assertEquals(16L, ((Number) object(generate.get("usage")).get("reasoning_tokens")).longValue());

    Map<String, Object> stream = traces.get(1);
    assertEquals("OK", stream.get("status"));
    assertTrue(totalTokens(stream) > 0, "a stream has usage");
    assertTrue(((Number) object(stream.get("attributes")).get("wandb.time_to_first_token_ms")).doubleValue() >= 0);
    assertEquals(3, ((Number) object(stream.get("attributes")).get("wandb.stream.chunks")).intValue());
    assertTrue(stream.get("outputs").toString().contains("kotlin+json+libraries"), stream.get("outputs").toString());

    Map<String, Object> secondTurn = traces.get(3);
    assertEquals(3, list(object(secondTurn.get("inputs")).get("contents")).size(), "the chat's history");
    List<Object> chatCall = list(secondTurn.get("children"));
    assertEquals(List.of("google_genai.models.generate_content"), names(chatCall));
    assertEquals(totalTokens(chatCall.get(0)),
        ((Number) object(object(secondTurn.get("totals")).get("usage")).get("total_tokens")).longValue(),
        "the chat's call is counted once");

    Map<String, Object> functionCalling = traces.get(4);
    assertEquals("AGENT", functionCalling.get("kind"));
    List<Map<String, Object>> rounds = list(functionCalling.get("children")).stream().map(TraceFiles::object)
        .collect(Collectors.toList());
    assertEquals(List.of("google_genai.models.generate_content", "google_genai.tool.starCount",
        "google_genai.models.generate_content"), names(rounds));
    assertEquals("TOOL", rounds.get(1).get("kind"));
    assertEquals(Map.of("repository", "snakeyaml/snakeyaml"), rounds.get(1).get("inputs"));
    assertEquals(Map.of("result", 1024), rounds.get(1).get("outputs"));
    assertTrue(rounds.get(0).get("outputs").toString().contains("functionCall"));
    assertEquals(totalTokens(rounds.get(0)) + totalTokens(rounds.get(2)),
        ((Number) object(object(functionCalling.get("totals")).get("usage")).get("total_tokens")).longValue());

    assertEquals("EMBEDDING", traces.get(5).get("kind"));
    Map<String, Object> error = traces.get(8);
    assertEquals("ERROR", error.get("status"));
    assertEquals("com.google.genai.errors.ClientException", object(error.get("error")).get("type"));
    assertEquals(429, ((Number) object(error.get("attributes")).get("http.response.status_code")).intValue());
    assertEquals("RESOURCE_EXHAUSTED", object(error.get("attributes")).get("error.type"));
    assertNull(error.get("outputs"));
  }

  @Test
  void weaveNamesTheCallsByModelAndKeysTheirUsageByTheResponseModel() throws Exception {
    try (WandbTestServer server = WandbTestServer.start().viewerEntity("smoke-team")) {
      JavaProcess.Result traced = java().withAgent(null).in(dir)
          .env("WANDB_API_KEY", WandbTestServer.API_KEY)
          .env("WANDB_BASE_URL", server.apiUrl())
          .env("WF_TRACE_SERVER_URL", server.traceUrl())
          .env("WANDB_PROJECT", "smoke")
          .jvmArg("-Dwandb.exporters=file,weave")
          .runJar(GEMINI_ASSISTANT);

      assertEquals(0, traced.exitCode(), traced.stderr());
      List<WeaveCall> calls = server.calls();
      assertEquals(14, calls.size(), traced.stderr());
      WeaveCall generate = calls.stream().filter(call -> call.opName().contains("generate_content_stream"))
          .findFirst().orElseThrow();
      assertEquals("chat gemini-2.5-flash", generate.start().get("display_name"));
      assertEquals("llm", object(generate.attributes().get("weave")).get("kind"));
      Map<String, Object> usage = object(object(generate.summary().get("usage")).get("gemini-2.5-flash"));
      assertTrue(((Number) usage.get("prompt_tokens")).longValue() > 0, usage.toString());
      assertTrue(((Number) usage.get("completion_tokens")).longValue() > 0, usage.toString());
    }
  }
}
