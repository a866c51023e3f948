package ai.wandb.agent.export.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeaveCallsTest {
  private final WeaveCalls calls = new WeaveCalls("1.2.3");

  private static SpanRenderer responses(Map<String, Object> output, Usage usage) {
    return new SpanRenderer() {
      @Override
      public void renderStart(Span span) {
        span.setInputs("plain text");
        span.setAttribute("gen_ai.request.model", "gpt-4o");
      }

      @Override
      public void renderEnd(Span span) {
        span.setOutputs(output);
        span.setAttribute("gen_ai.response.model", "gpt-4o-2024-08-06");
        span.setUsage(usage);
      }
    };
  }

  @Test
  void usageUsesTheTokenFamilyTheProviderAnsweredWith() {
    Span span = Tracer.start("openai.responses.create", SpanKind.LLM, null,
        responses(Map.of("object", "response", "usage", Map.of("input_tokens", 5, "output_tokens", 2)),
            new Usage(5L, 2L, 7L, null, null)));
    Tracer.end(span, null, null);
    span.renderEnd();

    Map<String, Object> end = calls.end(span);
    Map<?, ?> usage = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) end.get("summary")).get("usage")).get("gpt-4o-2024-08-06");
    assertEquals(Map.of("requests", 1L, "input_tokens", 5L, "output_tokens", 2L, "total_tokens", 7L), usage);
    assertNull(end.get("exception"));
    Map<String, Object> start = calls.start(span);
    assertEquals(Map.of("input", "plain text"), start.get("inputs"));
    Map<?, ?> weave = (Map<?, ?>) ((Map<?, ?>) start.get("attributes")).get("weave");
    assertEquals("llm", weave.get("kind"));
    assertEquals("1.2.3", weave.get("client_version"));
    assertEquals("openai.responses.create", start.get("display_name"));
  }

  @Test
  void anthropicUsageKeepsAnthropicsOwnKeysWithTheCacheTokensApart() {
    Span span = Tracer.start("anthropic.messages.create", SpanKind.LLM, null,
        responses(Map.of("type", "message", "usage", Map.of("input_tokens", 21, "cache_creation_input_tokens", 188,
            "cache_read_input_tokens", 1024, "output_tokens", 19)), new Usage(1233L, 19L, null, 1024L, null, 188L)));
    Tracer.end(span, null, null);
    span.renderEnd();

    Map<?, ?> usage = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) calls.end(span).get("summary")).get("usage"))
        .get("gpt-4o-2024-08-06");
    assertEquals(Map.of("requests", 1L, "input_tokens", 21L, "output_tokens", 19L, "cache_creation_input_tokens", 188L,
        "cache_read_input_tokens", 1024L, "total_tokens", 1252L), usage);
  }

  @Test
  void anErrorIsThePythonSdksExceptionString() throws Exception {
    Span span = Tracer.start("tool", SpanKind.TOOL, null, null);
    Tracer.end(span, null, new IllegalArgumentException("bad input"));
    span.renderEnd();

    Map<String, Object> exception = Json.parseObject(WeaveCalls.exception(span));
    assertEquals("IllegalArgumentException", exception.get("type"), "the SDK's type(exc).__name__");
    assertEquals("java.lang.IllegalArgumentException", exception.get("qualified_type"));
    assertEquals("bad input", exception.get("message"));
    Map<?, ?> frame = (Map<?, ?>) ((List<?>) exception.get("traceback")).get(0);
    assertTrue(((String) frame.get("function_name")).contains("anErrorIsThePythonSdksExceptionString"), frame.toString());
    assertEquals(Map.of("success", 0L, "error", 1L), WeaveCalls.summary(span).get("status_counts"));
  }

  @Test
  void everyAncestorsUsageCountsALayeredModelCallOnce() {
    Span root = ai.wandb.agent.export.run.TraceTreeTestAccess.layeredTrace();
    Map<?, ?> usage = (Map<?, ?>) calls.end(root).get("summary");
    assertEquals(Map.of("gpt-4o-mini-2024-07-18",
        Map.of("requests", 1L, "prompt_tokens", 100L, "completion_tokens", 20L, "total_tokens", 120L)), usage.get("usage"));
    Span outer = root.children().get(1);
    assertEquals(usage.get("usage"), ((Map<?, ?>) calls.end(outer).get("summary")).get("usage"));
  }

  @Test
  void aConversationIdMakesTheTraceATurnOfItsThread() {
    SpanRenderer conversation = new SpanRenderer() {
      @Override
      public void renderStart(Span span) {
        span.setAttribute("gen_ai.conversation.id", "alice");
      }

      @Override
      public void renderEnd(Span span) {}
    };
    Span root = Tracer.start("service", SpanKind.AGENT, null, conversation);
    Span child = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(child, null, null);
    Tracer.end(root, null, null);
    root.renderStart();

    Map<String, Object> rootStart = calls.start(root);
    assertEquals("alice", rootStart.get("thread_id"));
    assertEquals(rootStart.get("id"), rootStart.get("turn_id"));
    Map<String, Object> childStart = calls.start(child);
    assertEquals("alice", childStart.get("thread_id"));
    assertEquals(rootStart.get("id"), childStart.get("turn_id"));
    Span alone = Tracer.start("plain", SpanKind.LLM, null, null);
    Tracer.end(alone, null, null);
    assertTrue(!calls.start(alone).containsKey("thread_id"));
  }

  @Test
  void osReleaseIsTheKernelReleaseAsPythonsPlatformRelease() {
    Span span = Tracer.start("x", SpanKind.LLM, null, null);
    Tracer.end(span, null, null);
    Map<?, ?> weave = (Map<?, ?>) ((Map<?, ?>) calls.start(span).get("attributes")).get("weave");
    assertEquals(System.getProperty("os.version"), weave.get("os_release"));
  }
}
