package ai.wandb.agent.export.otlp;

import ai.wandb.agent.api.CountedUsage;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rendered span as one OTLP span in the GenAI semantic conventions, kept as a JSON map so that the
 * worker can spool it without protobuf; {@link OtlpEncoder} turns spooled maps into the wire format.
 * Entry fields: {@code trace_id}, {@code span_id}, {@code parent_span_id} (absent for a root without a
 * remote parent), {@code name}, {@code kind} ({@code CLIENT} or {@code INTERNAL}), {@code start}, {@code end}
 * (Unix nanos), {@code error} (the status message of an ERROR span, else absent) and {@code attributes},
 * flat keys to a string, long, double, boolean or a list of one of those.
 */
final class OtlpSpans {
  /** Span attributes that the OTLP span carries as fields or that only mean something to other sinks. */
  private static final String[] NOT_ATTRIBUTES = {"otel.trace_id", "otel.parent_span_id"};

  private final boolean captureContent;
  private final boolean forWeave;

  /**
   * @param captureContent {@code wandb.capture_content}: the opt-in content attributes are sent only then
   * @param forWeave adds the keys Weave's OTLP ingestion reads, and counts each model call's usage once
   */
  OtlpSpans(boolean captureContent, boolean forWeave) {
    this.captureContent = captureContent;
    this.forWeave = forWeave;
  }

  Map<String, Object> span(Span span) {
    Map<String, Object> attributes = new LinkedHashMap<String, Object>();
    for (Map.Entry<String, Object> attribute : span.attributes().entrySet()) {
      if (!isExcluded(attribute.getKey())) {
        putValue(attributes, attribute.getKey(), attribute.getValue());
      }
    }
    String operation = operation(span);
    attributes.put("gen_ai.operation.name", operation);
    // Sent only as opt-in content, in the conventions' shape rather than the provider's.
    attributes.remove("gen_ai.tool.definitions");
    Object toolDefinitions = span.attributes().get("gen_ai.tool.definitions");
    usage(span, attributes);
    if (span.kind() == SpanKind.TOOL) {
      attributes.put("gen_ai.tool.type", "function");
    }
    if (captureContent) {
      content(span, attributes, toolDefinitions);
    }
    Map<String, Object> error = span.errorJson();
    if (error != null) {
      attributes.put("error.type", String.valueOf(error.get("type")));
    }
    if (forWeave) {
      attributes.put("wandb.display_name", span.name());
      attributes.put("weave.span.kind", span.kind().name().toLowerCase(java.util.Locale.ROOT));
      Object conversation = span.attributes().get("gen_ai.conversation.id");
      if (conversation != null) {
        attributes.put("wandb.thread_id", String.valueOf(conversation));
      }
    }

    Map<String, Object> out = new LinkedHashMap<String, Object>();
    out.put("trace_id", span.traceId());
    out.put("span_id", span.spanId());
    String parent = span.parentId() != null ? span.parentId() : span.remoteParentId();
    if (parent != null) {
      out.put("parent_span_id", parent);
    }
    out.put("name", name(span, operation));
    out.put("kind", remote(span.kind()) ? "CLIENT" : "INTERNAL");
    out.put("start", span.startEpochNanos());
    out.put("end", span.endEpochNanos());
    if (error != null) {
      out.put("error", String.valueOf(error.get("message")));
    }
    out.put("attributes", AttributePaths.withoutConflicts(attributes));
    return out;
  }

  /** The conventions' operation names; the library's own name where the kind leaves it open. */
  static String operation(Span span) {
    switch (span.kind()) {
      case AGENT:
        return "invoke_agent";
      case TOOL:
        return "execute_tool";
      case RETRIEVER:
        return "retrieval";
      case EMBEDDING:
        return "embeddings";
      default:
        Object named = span.attributes().get("gen_ai.operation.name");
        return named != null ? String.valueOf(named) : span.kind() == SpanKind.LLM ? "chat" : "chain";
    }
  }

  /**
   * {@code {gen_ai.operation.name} {gen_ai.request.model}} for model calls, {@code invoke_agent {agent}},
   * {@code execute_tool {tool}}; spans the conventions do not cover (chains, app methods) keep their name.
   */
  static String name(Span span, String operation) {
    Map<String, Object> attributes = span.attributes();
    switch (span.kind()) {
      case LLM:
      case EMBEDDING:
        return joined(operation, attributes.get("gen_ai.request.model"));
      case AGENT:
        return joined(operation, attributes.get("gen_ai.agent.name"));
      case TOOL:
        return joined(operation, attributes.get("gen_ai.tool.name"));
      case RETRIEVER:
        return joined(operation, attributes.get("gen_ai.data_source.id"));
      default:
        return span.name();
    }
  }

  private static String joined(String operation, Object target) {
    return target == null ? operation : operation + " " + target;
  }

  /** Model, embedding and retrieval calls leave the process; agents, tools and chains run in it. */
  static boolean remote(SpanKind kind) {
    return kind == SpanKind.LLM || kind == SpanKind.EMBEDDING || kind == SpanKind.RETRIEVER;
  }

  private void usage(Span span, Map<String, Object> attributes) {
    Usage usage = span.usage();
    // Weave sums usage over a call's descendants: there, only the layer closest to the wire reports it.
    if (usage == null || (forWeave && !CountedUsage.counts(span))) {
      return;
    }
    putIfPresent(attributes, "gen_ai.usage.input_tokens", usage.inputTokens());
    putIfPresent(attributes, "gen_ai.usage.output_tokens", usage.outputTokens());
    putIfPresent(attributes, "gen_ai.usage.cache_read.input_tokens", usage.cachedInputTokens());
    putIfPresent(attributes, "gen_ai.usage.cache_creation.input_tokens", usage.cacheCreationInputTokens());
    putIfPresent(attributes, "gen_ai.usage.reasoning.output_tokens", usage.reasoningTokens());
    if (forWeave) {
      putIfPresent(attributes, "llm.usage.total_tokens", usage.totalTokens());
    }
  }

  private static void content(Span span, Map<String, Object> attributes, Object toolDefinitions) {
    Object inputs = span.inputs();
    Object outputs = span.outputs();
    if (span.kind() == SpanKind.LLM) {
      Map<String, Object> request = map(inputs);
      List<Object> system = GenAiMessages.systemInstructions(request);
      if (!system.isEmpty()) {
        attributes.put("gen_ai.system_instructions", Json.write(system));
      }
      List<Object> input = GenAiMessages.inputMessages(request);
      if (!input.isEmpty()) {
        attributes.put("gen_ai.input.messages", Json.write(input));
      }
      List<Object> output = GenAiMessages.outputMessages(map(outputs));
      if (!output.isEmpty()) {
        attributes.put("gen_ai.output.messages", Json.write(output));
      }
      List<Object> tools = GenAiMessages.toolDefinitions(toolDefinitions != null ? toolDefinitions : request.get("tools"));
      if (!tools.isEmpty()) {
        attributes.put("gen_ai.tool.definitions", Json.write(tools));
      }
      return;
    }
    if (span.kind() == SpanKind.TOOL) {
      Map<String, Object> in = map(inputs);
      Map<String, Object> out = map(outputs);
      putJson(attributes, "gen_ai.tool.call.arguments", in.containsKey("arguments") ? in.get("arguments") : inputs);
      putJson(attributes, "gen_ai.tool.call.result", out.containsKey("result") ? out.get("result") : outputs);
      return;
    }
    // Spans the conventions give no content attribute: the generic input/output pair backends read.
    putJson(attributes, "input.value", inputs);
    putJson(attributes, "output.value", outputs);
  }

  private static void putJson(Map<String, Object> attributes, String key, Object value) {
    if (value != null) {
      attributes.put(key, value instanceof String ? value : Json.write(value));
    }
  }

  private static boolean isExcluded(String key) {
    for (String excluded : NOT_ATTRIBUTES) {
      if (excluded.equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** OTLP attribute values are scalars or homogeneous arrays of scalars; anything else goes as JSON text. */
  static void putValue(Map<String, Object> attributes, String key, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof String || value instanceof Boolean) {
      attributes.put(key, value);
    } else if (value instanceof Double || value instanceof Float) {
      attributes.put(key, ((Number) value).doubleValue());
    } else if (value instanceof Number) {
      attributes.put(key, ((Number) value).longValue());
    } else if (value instanceof List && scalarsOfOneType((List<?>) value)) {
      List<Object> items = new ArrayList<Object>();
      for (Object item : (List<?>) value) {
        items.add(item instanceof Number && !(item instanceof Double || item instanceof Float)
            ? (Object) ((Number) item).longValue() : item);
      }
      attributes.put(key, items);
    } else {
      attributes.put(key, Json.write(value));
    }
  }

  private static boolean scalarsOfOneType(List<?> items) {
    Class<?> type = null;
    for (Object item : items) {
      if (item == null || item instanceof Map || item instanceof List) {
        return false;
      }
      Class<?> itemType = item instanceof Double || item instanceof Float ? Double.class
          : item instanceof Number ? Long.class : item.getClass();
      if (type != null && type != itemType) {
        return false;
      }
      type = itemType;
    }
    return true;
  }

  private static void putIfPresent(Map<String, Object> attributes, String key, Long value) {
    if (value != null) {
      attributes.put(key, value);
    }
  }

  @SuppressWarnings("unchecked") // rendered inputs and outputs are JSON trees
  static Map<String, Object> map(Object value) {
    return value instanceof Map ? (Map<String, Object>) value : new LinkedHashMap<String, Object>();
  }
}
