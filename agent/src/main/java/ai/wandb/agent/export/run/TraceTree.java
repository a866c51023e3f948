package ai.wandb.agent.export.run;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.export.TraceJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished trace as the {@code wb_trace_tree} media value ({@code reference/wandb-run-api.md} 4):
 * the root span and the model description as JSON strings, every span with all ten fields. Span kinds
 * the panel does not know become the nearest it does (retriever: TOOL, embedding: LLM), the original
 * kept in {@code attributes.span_kind}.
 */
public final class TraceTree {
  private TraceTree() {}

  public static Map<String, Object> of(Span root) {
    Map<String, Object> value = new LinkedHashMap<String, Object>();
    value.put("_type", "wb_trace_tree");
    Map<String, Object> model = modelDict(root);
    if (model != null) {
      String dumps = Json.write(model);
      value.put("model_hash", md5(dumps).substring(0, 16));
      value.put("model_dict_dumps", dumps);
    }
    value.put("root_span_dumps", Json.write(span(root)));
    return value;
  }

  static Map<String, Object> span(Span span) {
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    out.put("span_id", span.spanId());
    out.put("name", span.name());
    out.put("start_time_ms", span.startEpochNanos() / 1000000L);
    out.put("end_time_ms", span.endEpochNanos() / 1000000L);
    out.put("status_code", span.status() == SpanStatus.OK ? "SUCCESS" : "ERROR");
    Map<String, Object> error = span.errorJson();
    out.put("status_message", error == null ? null : error.get("type") + ": " + error.get("message"));
    out.put("attributes", attributes(span));
    out.put("results", results(span));
    List<Object> children = new ArrayList<Object>();
    for (Span child : TraceJson.sortedChildren(span)) {
      children.add(span(child));
    }
    out.put("child_spans", children.isEmpty() ? null : children);
    out.put("span_kind", panelKind(span.kind()));
    return out;
  }

  static String panelKind(SpanKind kind) {
    switch (kind) {
      case AGENT:
        return "AGENT";
      case CHAIN:
        return "CHAIN";
      case TOOL:
      case RETRIEVER:
        return "TOOL";
      default:
        return "LLM";
    }
  }

  private static Map<String, Object> attributes(Span span) {
    Map<String, Object> attributes = new LinkedHashMap<String, Object>(span.attributes());
    attributes.put("span_kind", span.kind().name());
    attributes.put("trace_id", span.traceId());
    if (span.usage() != null) {
      attributes.put("usage", span.usage().toJson());
    }
    return attributes;
  }

  private static List<Object> results(Span span) {
    Map<String, Object> inputs = object(span.inputs(), "input");
    Map<String, Object> outputs = object(span.outputs(), "output");
    if (inputs == null && outputs == null) {
      return null;
    }
    Map<String, Object> result = new LinkedHashMap<String, Object>();
    result.put("inputs", inputs);
    result.put("outputs", outputs);
    List<Object> results = new ArrayList<Object>();
    results.add(result);
    return results;
  }

  @SuppressWarnings("unchecked") // rendered JSON objects
  private static Map<String, Object> object(Object value, String key) {
    if (value == null) {
      return null;
    }
    if (value instanceof Map) {
      return ((Map<?, ?>) value).isEmpty() ? null : (Map<String, Object>) value;
    }
    Map<String, Object> wrapped = new LinkedHashMap<String, Object>();
    wrapped.put(key, value);
    return wrapped;
  }

  /**
   * The "Model Architecture" tab's description, as the SDK's {@code Trace.add_child} builds it: a span's
   * own model (provider as {@code _kind}, then its {@code gen_ai.request.*} parameters), with each
   * child's description merged under the child span's name, so every model of the trace shows where
   * it was called. Null when no span carries model parameters.
   */
  static Map<String, Object> modelDict(Span root) {
    Map<String, Object> model = describe(root);
    return model.isEmpty() ? null : model;
  }

  private static Map<String, Object> describe(Span span) {
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    for (Map.Entry<String, Object> attribute : span.attributes().entrySet()) {
      if (attribute.getKey().startsWith("gen_ai.request.")) {
        out.put(attribute.getKey().substring("gen_ai.request.".length()), attribute.getValue());
      }
    }
    if (!out.isEmpty()) {
      Object provider = span.attributes().get("gen_ai.provider.name");
      Map<String, Object> own = new LinkedHashMap<String, Object>();
      own.put("_kind", provider != null ? provider : span.name());
      own.putAll(out);
      out = own;
    }
    for (Span child : TraceJson.sortedChildren(span)) {
      Map<String, Object> described = describe(child);
      if (!described.isEmpty()) {
        out.put(child.name(), described);
      }
    }
    return out;
  }

  static String md5(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
