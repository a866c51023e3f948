package ai.wandb.agent.export.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.Usage;
import ai.wandb.agent.export.TraceJson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Spans as OTLP spans in the GenAI conventions, with message content in the conventions' parts schema. */
class OtlpSpansTest {
  private static final Map<String, Object> REQUEST = Map.of(
      "model", "gpt-4o-mini",
      "messages", List.of(
          Map.of("role", "system", "content", "You answer briefly."),
          Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "Weather in Paris?"))),
          Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of("id", "call_1", "type", "function",
              "function", Map.of("name", "weather", "arguments", "{\"city\":\"Paris\"}")))),
          Map.of("role", "tool", "tool_call_id", "call_1", "content", "18 C")),
      "tools", List.of(Map.of("type", "function", "function",
          Map.of("name", "weather", "description", "Current weather", "parameters", Map.of("type", "object")))));
  private static final Map<String, Object> RESPONSE = Map.of(
      "choices", List.of(Map.of("finish_reason", "stop", "message", Map.of("role", "assistant", "content", "18 C."))));

  @Test
  @SuppressWarnings("unchecked") // the messages attributes are JSON arrays
  void aModelCallIsAClientSpanNamedByOperationAndModelWithUsageAndMessages() throws Exception {
    Span root = agentTrace();
    Span chat = root.children().get(0);

    Map<String, Object> otlp = new OtlpSpans(true, false).span(chat);

    assertEquals("chat gpt-4o-mini", otlp.get("name"));
    assertEquals("CLIENT", otlp.get("kind"));
    assertEquals(root.spanId(), otlp.get("parent_span_id"));
    Map<String, Object> attributes = OtlpSpans.map(otlp.get("attributes"));
    assertEquals("chat", attributes.get("gen_ai.operation.name"));
    assertEquals("openai", attributes.get("gen_ai.provider.name"));
    assertEquals("gpt-4o-mini", attributes.get("gen_ai.request.model"));
    assertEquals(0.2, attributes.get("gen_ai.request.temperature"));
    assertEquals(List.of("stop"), attributes.get("gen_ai.response.finish_reasons"));
    assertEquals(12L, attributes.get("gen_ai.usage.input_tokens"));
    assertEquals(5L, attributes.get("gen_ai.usage.output_tokens"));
    assertEquals(4L, attributes.get("gen_ai.usage.cache_read.input_tokens"));
    assertEquals(2L, attributes.get("gen_ai.usage.reasoning.output_tokens"));
    assertNull(attributes.get("llm.usage.total_tokens"), "a Weave key, only for Weave");

    List<Object> input = (List<Object>) Json.parse((String) attributes.get("gen_ai.input.messages"));
    assertEquals(4, input.size());
    assertMessage(input.get(0), "system", "text");
    assertEquals("You answer briefly.", part(input.get(0)).get("content"));
    assertMessage(input.get(1), "user", "text");
    assertEquals("Weather in Paris?", part(input.get(1)).get("content"));
    Map<String, Object> call = parts(input.get(2)).stream().map(OtlpSpans::map)
        .filter(p -> "tool_call".equals(p.get("type"))).findFirst().orElseThrow();
    assertEquals(Map.of("type", "tool_call", "id", "call_1", "name", "weather", "arguments", Map.of("city", "Paris")),
        call);
    assertMessage(input.get(3), "tool", "tool_call_response");
    assertEquals(Map.of("type", "tool_call_response", "id", "call_1", "response", "18 C"), part(input.get(3)));

    List<Object> output = (List<Object>) Json.parse((String) attributes.get("gen_ai.output.messages"));
    assertMessage(output.get(0), "assistant", "text");
    assertEquals("stop", OtlpSpans.map(output.get(0)).get("finish_reason"));
    assertEquals(List.of(Map.of("type", "function", "name", "weather", "description", "Current weather",
        "parameters", Map.of("type", "object"))), Json.parse((String) attributes.get("gen_ai.tool.definitions")));
  }

  @Test
  void agentsAndToolsAreInternalSpansNamedByTheConventions() {
    Span root = agentTrace();
    OtlpSpans spans = new OtlpSpans(true, false);

    Map<String, Object> agent = spans.span(root);
    assertEquals("invoke_agent Assistant.chat", agent.get("name"));
    assertEquals("INTERNAL", agent.get("kind"));
    assertFalse(agent.containsKey("parent_span_id"));
    assertEquals("invoke_agent", OtlpSpans.map(agent.get("attributes")).get("gen_ai.operation.name"));

    Map<String, Object> tool = spans.span(root.children().get(1));
    assertEquals("execute_tool weather", tool.get("name"));
    assertEquals("INTERNAL", tool.get("kind"));
    Map<String, Object> attributes = OtlpSpans.map(tool.get("attributes"));
    assertEquals("weather", attributes.get("gen_ai.tool.name"));
    assertEquals("call_1", attributes.get("gen_ai.tool.call.id"));
    assertEquals("function", attributes.get("gen_ai.tool.type"));
    assertEquals("{\"city\":\"Paris\"}", attributes.get("gen_ai.tool.call.arguments"));
    assertEquals("18 C", attributes.get("gen_ai.tool.call.result"));
  }

  @Test
  void aFailedSpanCarriesErrorTypeAndTheStatusMessage() {
    Span span = Tracer.start("openai.chat.completions.create", SpanKind.LLM, REQUEST, CHAT);
    Tracer.end(span, null, new IllegalStateException("quota exceeded"));
    span.renderEnd();

    Map<String, Object> otlp = new OtlpSpans(true, false).span(span);

    assertEquals("quota exceeded", otlp.get("error"));
    assertEquals("java.lang.IllegalStateException", OtlpSpans.map(otlp.get("attributes")).get("error.type"));
  }

  @Test
  void withoutContentCaptureNoMessageOrToolContentIsSent() {
    Span root = agentTrace();
    for (Span span : TraceJson.flatten(root)) {
      Set<String> keys = OtlpSpans.map(new OtlpSpans(false, false).span(span).get("attributes")).keySet();
      for (String content : List.of("gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.tool.definitions",
          "gen_ai.system_instructions", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "input.value",
          "output.value")) {
        assertFalse(keys.contains(content), span + " has " + content);
      }
    }
  }

  @Test
  void forWeaveTheKeysItReadsAreAddedAndUsageCountsOncePerModelCall() {
    Span root = agentTrace();
    OtlpSpans weave = new OtlpSpans(true, true);

    Map<String, Object> chat = OtlpSpans.map(weave.span(root.children().get(0)).get("attributes"));
    assertEquals("openai.chat.completions.create", chat.get("wandb.display_name"));
    assertEquals("llm", chat.get("weave.span.kind"));
    assertEquals(17L, chat.get("llm.usage.total_tokens"));
    assertEquals("conversation-7", chat.get("wandb.thread_id"));

    Map<String, Object> agent = OtlpSpans.map(weave.span(root).get("attributes"));
    assertEquals("agent", agent.get("weave.span.kind"));
    assertFalse(agent.containsKey("gen_ai.usage.input_tokens"), "the agent's usage is the chat's, counted there");
  }

  @Test
  void noScalarKeyIsAlsoThePrefixOfAnotherKey() {
    Map<String, Object> out = AttributePaths.withoutConflicts(Map.of("a.b", 1L, "a.b.c", 2L, "x", "y"));

    assertEquals(Map.of("a.b.value", 1L, "a.b.c", 2L, "x", "y"), out);
    for (String key : out.keySet()) {
      for (String other : out.keySet()) {
        assertFalse(other.startsWith(key + "."), key + " and " + other);
      }
    }
  }

  private static void assertMessage(Object message, String role, String firstPartType) {
    assertEquals(role, OtlpSpans.map(message).get("role"));
    assertEquals(firstPartType, part(message).get("type"));
  }

  private static Map<String, Object> part(Object message) {
    return OtlpSpans.map(parts(message).get(0));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> parts(Object message) {
    Object parts = OtlpSpans.map(message).get("parts");
    assertTrue(parts instanceof List, "parts is a list: " + message);
    return (List<Object>) parts;
  }

  /** invoke_agent → (chat, execute_tool), rendered as the exporter thread does. */
  private static Span agentTrace() {
    Span root = Tracer.start("langchain4j.ai_service.Assistant.chat", SpanKind.AGENT, "question", AGENT);
    Tracer.end(Tracer.start("openai.chat.completions.create", SpanKind.LLM, REQUEST, CHAT), RESPONSE, null);
    Tracer.end(Tracer.start("langchain4j.tool.weather", SpanKind.TOOL, "tool", TOOL), "18 C", null);
    Tracer.end(root, "answer", null);
    for (Span span : TraceJson.flatten(root)) {
      span.renderEnd();
    }
    return root;
  }

  private static final SpanRenderer AGENT = new SpanRenderer() {
    @Override
    public void renderStart(Span span) {
      span.setAttribute("gen_ai.operation.name", "invoke_agent");
      span.setAttribute("gen_ai.agent.name", "Assistant.chat");
      span.setAttribute("gen_ai.conversation.id", "conversation-7");
      span.setInputs(Map.of("question", span.request()));
    }

    @Override
    public void renderEnd(Span span) {
      span.setOutputs(Map.of("answer", String.valueOf(span.response())));
      span.setUsage(new Usage(12L, 5L, null, 4L, 2L));
    }
  };

  private static final SpanRenderer CHAT = new SpanRenderer() {
    @Override
    public void renderStart(Span span) {
      span.setAttribute("gen_ai.operation.name", "chat");
      span.setAttribute("gen_ai.provider.name", "openai");
      span.setAttribute("gen_ai.request.model", "gpt-4o-mini");
      span.setAttribute("gen_ai.request.temperature", 0.2);
      span.setAttribute("gen_ai.tool.definitions", REQUEST.get("tools"));
      span.setAttribute("gen_ai.conversation.id", "conversation-7");
      span.setInputs(REQUEST);
    }

    @Override
    public void renderEnd(Span span) {
      if (span.response() != null) {
        span.setOutputs(span.response());
        span.setAttribute("gen_ai.response.finish_reasons", List.of("stop"));
        span.setUsage(new Usage(12L, 5L, null, 4L, 2L));
      }
    }
  };

  private static final SpanRenderer TOOL = new SpanRenderer() {
    @Override
    public void renderStart(Span span) {
      span.setAttribute("gen_ai.operation.name", "execute_tool");
      span.setAttribute("gen_ai.tool.name", "weather");
      span.setAttribute("gen_ai.tool.call.id", "call_1");
      span.setInputs(Map.of("arguments", Map.of("city", "Paris")));
    }

    @Override
    public void renderEnd(Span span) {
      span.setOutputs(Map.of("result", String.valueOf(span.response())));
    }
  };
}
