package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.testing.otlp.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The OTLP spans a collector received, checked against the local JSONL of the same run: the same trees
 * (ids, parents, times, kinds, usage), named and attributed by the GenAI conventions, with message
 * attributes in the conventions' parts schema.
 */
final class OtlpTrees {
  private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
  private static final Set<String> PART_TYPES = Set.of("text", "tool_call", "tool_call_response", "uri", "blob",
      "file", "reasoning");

  private OtlpTrees() {}

  /** Every JSONL span has its OTLP span, and the collector got nothing else from the agent. */
  static void assertSameTrees(List<Map<String, Object>> traces, List<ReceivedSpan> received) throws Exception {
    Map<String, ReceivedSpan> byId = received.stream().filter(s -> s.scopeName().equals("wandb-agent"))
        .collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));
    List<Map<String, Object>> local = new ArrayList<>();
    traces.forEach(root -> flatten(root, local));
    assertEquals(local.size(), byId.size(), "one OTLP span per local span");
    for (Map<String, Object> span : local) {
      ReceivedSpan otlp = byId.get((String) span.get("span_id"));
      assertNotNull(otlp, "no OTLP span for " + span.get("name"));
      String context = span.get("name") + " -> " + otlp.name();
      assertEquals(span.get("trace_id"), otlp.traceId(), context);
      Object parent = span.get("parent_id") != null ? span.get("parent_id")
          : object(span.get("attributes")).get("otel.parent_span_id");
      assertEquals(parent, otlp.parentSpanId(), context);
      assertEquals(((Number) span.get("start_time_unix_nano")).longValue(), otlp.span().getStartTimeUnixNano(), context);
      assertEquals(((Number) span.get("end_time_unix_nano")).longValue(), otlp.span().getEndTimeUnixNano(), context);
      String kind = (String) span.get("kind");
      boolean remote = kind.equals("LLM") || kind.equals("EMBEDDING") || kind.equals("RETRIEVER");
      assertEquals(remote ? SpanKind.SPAN_KIND_CLIENT : SpanKind.SPAN_KIND_INTERNAL, otlp.kind(), context);
      assertEquals(span.get("status").equals("ERROR"),
          otlp.span().getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR,
          context);
      Map<String, Object> attributes = otlp.attributes();
      String operation = (String) attributes.get("gen_ai.operation.name");
      switch (kind) {
        case "LLM" -> {
          assertEquals(operation + " " + object(span.get("attributes")).get("gen_ai.request.model"), otlp.name());
          assertMessages(attributes, span.get("outputs") != null);
        }
        case "AGENT" -> assertTrue(otlp.name().startsWith("invoke_agent "), context);
        case "TOOL" -> assertEquals("execute_tool " + object(span.get("attributes")).get("gen_ai.tool.name"),
            otlp.name());
        case "RETRIEVER" -> assertEquals("retrieval", operation, context);
        case "EMBEDDING" -> assertEquals("embeddings", operation, context);
        default -> { }
      }
      Map<String, Object> usage = object(span.get("usage"));
      if (span.get("usage") != null) {
        assertEquals(number(usage.get("input_tokens")), number(attributes.get("gen_ai.usage.input_tokens")), context);
        assertEquals(number(usage.get("output_tokens")), number(attributes.get("gen_ai.usage.output_tokens")), context);
      } else {
        assertFalse(attributes.containsKey("gen_ai.usage.input_tokens"), context);
      }
      if (span.get("status").equals("ERROR")) {
        assertNotNull(attributes.get("error.type"), context);
      }
      assertNoPathConflict(attributes.keySet());
    }
  }

  /** Input and output messages: lists of {role, parts}; every part typed; output messages carry finish_reason. */
  static void assertMessages(Map<String, Object> attributes, boolean hasOutput) throws Exception {
    List<Object> input = list(Json.parse((String) attributes.get("gen_ai.input.messages")));
    assertFalse(input.isEmpty());
    input.forEach(message -> assertMessage(message, false));
    if (hasOutput && attributes.containsKey("gen_ai.output.messages")) {
      List<Object> output = list(Json.parse((String) attributes.get("gen_ai.output.messages")));
      output.forEach(message -> assertMessage(message, true));
    }
  }

  private static void assertMessage(Object value, boolean output) {
    Map<String, Object> message = object(value);
    assertTrue(ROLES.contains(message.get("role")), "role: " + message);
    List<Object> parts = list(message.get("parts"));
    assertNotNull(parts, "parts: " + message);
    for (Object item : parts) {
      Map<String, Object> part = object(item);
      String type = (String) part.get("type");
      assertTrue(PART_TYPES.contains(type), "part type: " + part);
      switch (type) {
        case "text" -> assertTrue(part.get("content") instanceof String, "text content: " + part);
        case "tool_call" -> assertTrue(part.get("name") instanceof String, "tool_call name: " + part);
        case "tool_call_response" -> assertTrue(part.containsKey("response"), "tool_call_response: " + part);
        default -> { }
      }
    }
    if (output) {
      assertTrue(message.get("finish_reason") instanceof String, "finish_reason: " + message);
    }
  }

  static void assertNoPathConflict(Set<String> keys) {
    for (String key : keys) {
      for (String other : keys) {
        assertFalse(other.startsWith(key + "."), "scalar " + key + " and key " + other);
      }
    }
  }

  private static Long number(Object value) {
    return value == null ? null : ((Number) value).longValue();
  }

  private static void flatten(Map<String, Object> span, List<Map<String, Object>> out) {
    out.add(span);
    for (Object child : list(span.get("children"))) {
      flatten(object(child), out);
    }
  }
}
