package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.OPENAI_TOUR;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The openai-java tour app (every call path: chat, Responses, embeddings, completions, Assistants;
 * blocking, async, streaming, raw, options copies, structured outputs) under the real agent jar, against
 * the local OpenAI-compatible server: one trace per call, each checked.
 */
class OpenAiTourSmokeTest {
  private static final String RESPONSE = "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b";

  @TempDir
  Path dir;

  private static void enqueueTour(OpenAiTestServer server) {
    String chat = "/v1/chat/completions";
    server.enqueue(chat, Reply.recorded("chat-completion"))
        .enqueue(chat, Reply.recorded("chat-completion"))
        .enqueue(chat, Reply.recorded("chat-completion-structured"))
        .enqueue(chat, Reply.recorded("chat-completion"))
        .enqueue(chat, Reply.sse("chat-completion-stream"))
        .enqueue(chat, Reply.sse("chat-completion-stream"))
        .enqueue(chat, Reply.recorded("chat-completion"))
        .enqueue(chat, Reply.sse("chat-completion-stream"))
        .enqueue(chat, Reply.json(500, OpenAiTestServer.recorded("error-500")));
    server.enqueue("/v1/responses", Reply.recorded("response"))
        .enqueue("/v1/responses", Reply.sse("response-stream"))
        .enqueue("/v1/responses", Reply.recorded("response"))
        .enqueue("/v1/responses/" + RESPONSE, Reply.sse("response-stream"))
        .enqueue("/v1/responses/compact", Reply.recorded("response-compact"));
    server.enqueue("/v1/embeddings", Reply.recorded("embeddings")).enqueue("/v1/embeddings", Reply.recorded("embeddings"));
    server.enqueue("/v1/completions", Reply.recorded("completion"))
        .enqueue("/v1/completions", Reply.sse("completion-stream"));
    server.enqueue("/v1/threads/thread_abc123/runs", Reply.recorded("run-queued"))
        .enqueue("/v1/threads/thread_abc123/runs", Reply.sse("run-stream"))
        .enqueue("/v1/threads/runs", Reply.recorded("run-queued"))
        .enqueue("/v1/threads/thread_abc123/runs/run_abc123/submit_tool_outputs", Reply.recorded("run-completed"));
  }

  private static JavaProcess.Result tour(JavaProcess process) throws Exception {
    try (OpenAiTestServer server = OpenAiTestServer.start()) {
      enqueueTour(server);
      return process.env("OPENAI_BASE_URL", server.baseUrl()).env("OPENAI_API_KEY", "sk-test").runJar(OPENAI_TOUR);
    }
  }

  @Test
  void withoutAnApiKeyTheTourAnswersFromItsOfflineEndpointAndIsTracedTheSame(@TempDir Path plainDir) throws Exception {
    JavaProcess.Result plain = java().in(plainDir).runJar(OPENAI_TOUR);
    JavaProcess.Result traced = java().withAgent(null).in(dir).runJar(OPENAI_TOUR);

    assertEquals(0, plain.exitCode(), "every step as intended: " + plain.stdout() + plain.stderr());
    assertTrue(plain.stdout().contains("chat server error: failed as intended: InternalServerException"), plain.stdout());
    assertEquals(21, plain.stdout().lines().filter(line -> !line.contains("failed")).count(), plain.stdout());
    assertEquals("[openai-tour] OPENAI_API_KEY is not set: answering from the built-in offline endpoint"
        + " (responses recorded from OpenAI, not from a model)", plain.stderr().strip(), "and no SLF4J warning");
    assertEquals(plain.stdout(), traced.stdout());
    assertEquals(plain.appStderr(), traced.appStderr());
    assertEquals(22, TraceFiles.readTraces(TraceFiles.tracesDir(dir)).size(), traced.stderr());
  }

  @Test
  void everyCallPathLeavesOneCorrectTraceAndTheAppRunsAsWithoutTheAgent(@TempDir Path plainDir) throws Exception {
    JavaProcess.Result plain = tour(java().in(plainDir));
    JavaProcess.Result traced = tour(java().withAgent(null).in(dir));

    assertEquals(0, plain.exitCode(), plain.stderr());
    assertTrue(plain.stdout().contains("chat server error: failed as intended: InternalServerException"), plain.stdout());
    assertEquals(21, plain.stdout().lines().filter(line -> !line.contains("failed")).count(), plain.stdout());
    assertEquals(plain.exitCode(), traced.exitCode());
    assertEquals(plain.stdout(), traced.stdout());
    assertEquals(plain.appStderr(), traced.appStderr());

    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    Map<String, Long> byName = traces.stream()
        .collect(Collectors.groupingBy(span -> (String) span.get("name"), TreeMap::new, Collectors.counting()));
    assertEquals(new TreeMap<>(Map.of(
        "openai.chat.completions.create", 9L,
        "openai.responses.create", 3L,
        "openai.responses.retrieve", 1L,
        "openai.responses.compact", 1L,
        "openai.embeddings.create", 2L,
        "openai.completions.create", 2L,
        "openai.beta.threads.runs.create", 2L,
        "openai.beta.threads.create_and_run", 1L,
        "openai.beta.threads.runs.submit_tool_outputs", 1L)), byName, traced.stderr());

    int errors = 0;
    List<String> withoutUsage = new java.util.ArrayList<>();
    for (Map<String, Object> span : traces) {
      String name = (String) span.get("name");
      assertNull(span.get("parent_id"), name);
      assertTrue(list(span.get("children")).isEmpty(), name);
      Map<String, Object> attributes = object(span.get("attributes"));
      assertEquals("local", attributes.get("gen_ai.provider.name"), name);
      assertNotNull(span.get("inputs"), name);
      assertEquals(name.startsWith("openai.beta") ? "AGENT" : name.contains("embeddings") ? "EMBEDDING" : "LLM",
          span.get("kind"), name);
      if ("ERROR".equals(span.get("status"))) {
        errors++;
        assertEquals("com.openai.errors.InternalServerException", object(span.get("error")).get("type"));
        assertEquals(500, ((Number) attributes.get("http.response.status_code")).intValue());
        continue;
      }
      assertEquals("OK", span.get("status"), name + " " + span.get("error"));
      assertNotNull(span.get("outputs"), name);
      Map<String, Object> usage = span.get("usage") == null ? null : object(span.get("usage"));
      if (usage == null) {
        withoutUsage.add(name);
      } else {
        assertTrue(((Number) usage.get("total_tokens")).longValue() > 0, name + " " + usage);
      }
      if (Boolean.TRUE.equals(attributes.get("gen_ai.request.stream"))) {
        assertTrue(((Number) attributes.get("wandb.time_to_first_token_ms")).doubleValue() >= 0, name);
      }
    }
    assertEquals(1, errors);
    // Every call reports usage (chat streams without the app asking) except the two runs still queued
    // when created and the chat stream the app closed before its end.
    assertEquals(List.of("openai.beta.threads.create_and_run", "openai.beta.threads.runs.create",
        "openai.chat.completions.create"), withoutUsage.stream().sorted().collect(Collectors.toList()));

    List<String> agentLines = traced.agentLines();
    assertTrue(agentLines.get(agentLines.size() - 1).contains("exported 22 trace(s), 22 span(s); dropped 0"),
        traced.stderr());
  }
}
