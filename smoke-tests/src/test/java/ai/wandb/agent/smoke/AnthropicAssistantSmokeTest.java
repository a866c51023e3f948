package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.EXAMPLES;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anthropic-java example, run as a user runs it, with and without the agent, on the local default
 * sink: a question answered through a tool call, an overloaded API, a streamed answer and a stream
 * whose connection drops. Each question's step is a root ({@code wandb.trace.methods}) with its model
 * calls inside.
 */
class AnthropicAssistantSmokeTest {
  private static final Path ANTHROPIC_ASSISTANT = EXAMPLES.resolve("anthropic-assistant/target/anthropic-assistant.jar");
  private static final String[] QUESTIONS = {
    "find java libraries for parsing yaml", "fail-demo please", "stream: rust web frameworks with websockets",
    "stream: cut-demo kotlin http clients"
  };
  private static final String STEPS =
      "-Dwandb.trace.methods=ai.wandb.examples.anthropic.AnthropicAssistant[askWithTool,streamAnswer]";

  @TempDir
  Path plainDir;

  @TempDir
  Path dir;

  @Test
  void theAgentTracesToolUseUsageStreamsAndErrorsAndTheAppPrintsTheSameBytes() throws Exception {
    JavaProcess.Result plain = java().in(plainDir).runJar(ANTHROPIC_ASSISTANT, QUESTIONS);
    JavaProcess.Result run = java().withAgent(null).jvmArg(STEPS).in(dir).runJar(ANTHROPIC_ASSISTANT, QUESTIONS);

    assertEquals(1, plain.exitCode(), plain.stderr());
    assertEquals(plain.exitCode(), run.exitCode());
    assertEquals(plain.stdout(), run.stdout());
    // The failures' stack traces, as the app prints them, are the same frame for frame.
    assertEquals(plain.appStderr(), run.appStderr());
    assertTrue(run.appStderr().contains("com.anthropic.errors.AnthropicIoException: Stream failed"), run.appStderr());
    assertFalse(run.appStderr().contains("ai.wandb.agent"), run.appStderr());

    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(4, traces.size(), run.stderr());

    List<Object> toolTurn = list(traces.get(0).get("children"));
    assertEquals("AnthropicAssistant.askWithTool", traces.get(0).get("name"));
    assertEquals(2, toolTurn.size());
    Map<String, Object> call = object(toolTurn.get(0));
    Map<String, Object> answer = object(toolTurn.get(1));
    assertEquals("anthropic.messages.create", call.get("name"));
    assertEquals("LLM", call.get("kind"));
    assertEquals("anthropic", object(call.get("attributes")).get("gen_ai.provider.name"));
    assertEquals("github_search_url", object(list(object(call.get("inputs")).get("tools")).get(0)).get("name"));
    Map<String, Object> toolUse = object(list(object(call.get("outputs")).get("content")).get(0));
    assertEquals("tool_use", toolUse.get("type"));
    assertEquals(Map.of("query", "java parsing yaml"), toolUse.get("input"));
    assertEquals(List.of("tool_use"), object(call.get("attributes")).get("gen_ai.response.finish_reasons"));
    assertEquals(160, ((Number) object(call.get("usage")).get("cache_creation_input_tokens")).intValue());
    String url = (String) object(list(object(answer.get("outputs")).get("content")).get(0)).get("text");
    assertTrue(run.stdout().contains("  -> " + url + "\n"), url);
    Map<String, Object> answerUsage = object(answer.get("usage"));
    assertEquals(160, ((Number) answerUsage.get("cached_input_tokens")).intValue());
    assertTrue(((Number) answerUsage.get("input_tokens")).longValue() > 160);
    // The tool result went back to the model as the app sent it.
    List<Object> sent = list(object(answer.get("inputs")).get("messages"));
    assertEquals("tool_result", object(list(object(sent.get(2)).get("content")).get(0)).get("type"));

    Map<String, Object> overloaded = object(list(traces.get(1).get("children")).get(0));
    assertEquals("ERROR", overloaded.get("status"));
    assertEquals("com.anthropic.errors.OverloadedException", object(overloaded.get("error")).get("type"));
    assertEquals(529, ((Number) object(overloaded.get("attributes")).get("http.response.status_code")).intValue());
    assertEquals("ERROR", traces.get(1).get("status"));

    Map<String, Object> streamed = object(list(traces.get(2).get("children")).get(0));
    assertEquals("OK", streamed.get("status"));
    Map<String, Object> attributes = object(streamed.get("attributes"));
    assertEquals(Boolean.TRUE, attributes.get("gen_ai.request.stream"));
    assertTrue(((Number) attributes.get("wandb.time_to_first_token_ms")).doubleValue() >= 0);
    String streamedText = (String) object(list(object(streamed.get("outputs")).get("content")).get(0)).get("text");
    assertTrue(run.stdout().contains("  -> " + streamedText + "\n"), streamedText);
    Map<String, Object> streamUsage = object(streamed.get("usage"));
    assertTrue(((Number) streamUsage.get("output_tokens")).intValue() > 1, streamUsage.toString());
    assertTrue(((Number) streamUsage.get("input_tokens")).intValue() > 0, streamUsage.toString());

    Map<String, Object> cut = object(list(traces.get(3).get("children")).get(0));
    assertEquals("ERROR", cut.get("status"));
    assertEquals("com.anthropic.errors.AnthropicIoException", object(cut.get("error")).get("type"));
    String partial = (String) object(list(object(cut.get("outputs")).get("content")).get(0)).get("text");
    assertTrue(partial.startsWith("https://github.com/search?q="), partial);
  }
}
