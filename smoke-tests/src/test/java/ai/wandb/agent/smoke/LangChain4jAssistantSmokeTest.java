package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The LangChain4j example app under the real agent jar, once per provider module: the ingestion through
 * the app's own embedding model is one EMBEDDING trace, and each AI-service call (blocking, then
 * streaming) is one trace AGENT → RETRIEVER(EMBEDDING) → LLM → TOOL, TOOL → LLM, with the tools' real
 * durations and the failing tool as an error span.
 */
class LangChain4jAssistantSmokeTest {
  private static final Path APP = JavaProcess.EXAMPLES.resolve("langchain4j-assistant/target/langchain4j-assistant.jar");
  private static final Pattern SLOW_TOOL = Pattern.compile("\\[tool] orderStatus\\((\\S+)\\) took (\\d+) ms");

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"open-ai", "open-ai-official"})
  void eachServiceCallIsOneTraceOfRetrievalModelCallsAndToolsWithTheirRealDurations(String provider,
      @TempDir Path plainDir) throws Exception {
    JavaProcess.Result plain = java().in(plainDir).runJar(APP, provider);
    JavaProcess.Result run = java().withAgent(null).in(dir).runJar(APP, provider);

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(plain.stdout(), run.stdout(), "the app's output is unchanged by the agent");
    assertFalse(plain.stderr().contains("SLF4J"), "the example ships a logging binding: " + plain.stderr());
    assertTrue(run.agentLines().get(0).contains("langchain4j"), run.agentLines().get(0));
    Matcher slowTool = SLOW_TOOL.matcher(run.stdout());
    assertTrue(slowTool.find(), run.stdout());
    long sleptMillis = Long.parseLong(slowTool.group(2));

    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(3, traces.size(), run.stderr());
    Map<String, Object> ingestion = traces.get(0);
    assertEquals("langchain4j.embedding", ingestion.get("name"), "the app's KeywordEmbeddingModel.embedAll");
    assertEquals(3, list(object(ingestion.get("inputs")).get("input")).size());
    assertServiceTrace(traces.get(1), "ShopAssistant", provider, sleptMillis, false);
    assertServiceTrace(traces.get(2), "StreamingShopAssistant", provider, sleptMillis, true);
    String blockingAnswer = run.stdout().lines().filter(line -> line.startsWith("assistant: ")).findFirst()
        .orElseThrow().substring("assistant: ".length());
    assertEquals(blockingAnswer, object(traces.get(1).get("outputs")).get("output"));
  }

  private static void assertServiceTrace(Map<String, Object> root, String service, String provider,
      long sleptMillis, boolean streaming) {
    assertEquals("langchain4j.ai_service." + service + ".chat", root.get("name"));
    assertEquals("AGENT", root.get("kind"));
    assertEquals("OK", root.get("status"));
    assertNull(root.get("parent_id"));
    List<Map<String, Object>> steps = list(root.get("children")).stream().map(TraceFiles::object).toList();
    assertEquals(List.of("RETRIEVER", "LLM", "TOOL", "TOOL", "LLM"), steps.stream().map(s -> s.get("kind")).toList(),
        root.toString());
    for (Map<String, Object> step : steps) {
      assertEquals(root.get("span_id"), step.get("parent_id"));
      assertEquals(root.get("trace_id"), step.get("trace_id"));
    }

    Map<String, Object> retrieval = steps.get(0);
    Map<String, Object> embedding = object(list(retrieval.get("children")).get(0));
    assertEquals("EMBEDDING", embedding.get("kind"));
    String policy = (String) object(list(object(retrieval.get("outputs")).get("contents")).get(0)).get("text");
    assertTrue(policy.startsWith("Shipped orders cannot be cancelled"), policy);

    Map<String, Object> slow = steps.get(2);
    assertEquals("langchain4j.tool.orderStatus", slow.get("name"));
    assertEquals("OK", slow.get("status"));
    assertTrue(((Number) slow.get("duration_ms")).doubleValue() >= sleptMillis,
        "the lookup slept " + sleptMillis + " ms, its span lasted " + slow.get("duration_ms") + " ms");
    assertTrue(((Number) slow.get("start_time_unix_nano")).longValue()
        >= ((Number) steps.get(1).get("end_time_unix_nano")).longValue(), "the tool ran after the model asked");

    Map<String, Object> failing = steps.get(3);
    assertEquals("langchain4j.tool.cancelOrder", failing.get("name"));
    assertEquals("ERROR", failing.get("status"));
    assertEquals("java.lang.IllegalStateException", object(failing.get("error")).get("type"));
    Map<String, Object> toolError = object(list(object(root.get("attributes")).get("langchain4j.tool_errors")).get(0));
    assertEquals("cancelOrder", toolError.get("tool"));

    for (Map<String, Object> call : List.of(steps.get(1), steps.get(4))) {
      assertEquals("langchain4j.chat", call.get("name"));
      Map<String, Object> attributes = object(call.get("attributes"));
      assertEquals("openai", attributes.get("gen_ai.provider.name"));
      assertEquals("gpt-4o-mini", attributes.get("gen_ai.request.model"));
      assertTrue(((Number) object(call.get("usage")).get("total_tokens")).longValue() > 0, call.toString());
      if (streaming) {
        assertTrue(((Number) attributes.get("wandb.time_to_first_token_ms")).doubleValue() >= 0);
      }
      // langchain4j-open-ai-official runs on openai-java: its span (blocking or streaming) nests under the
      // LangChain4j one, never beside it; langchain4j-open-ai has its own HTTP client.
      List<Object> nested = list(call.get("children"));
      if (provider.equals("open-ai-official")) {
        assertEquals(1, nested.size(), call.toString());
        assertEquals("openai.chat.completions.create", object(nested.get(0)).get("name"));
      } else {
        assertTrue(nested.isEmpty(), call.toString());
      }
    }
    assertEquals(List.of("tool_calls"), object(steps.get(1).get("attributes")).get("gen_ai.response.finish_reasons"));
  }
}
