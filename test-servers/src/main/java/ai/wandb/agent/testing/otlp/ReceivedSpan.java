package ai.wandb.agent.testing.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One decoded span with the resource and scope it came with; attribute values as plain Java values. */
public record ReceivedSpan(Map<String, Object> resource, String scopeName, String scopeVersion, Span span) {
  public String traceId() {
    return HexFormat.of().formatHex(span.getTraceId().toByteArray());
  }

  public String spanId() {
    return HexFormat.of().formatHex(span.getSpanId().toByteArray());
  }

  /** The parent's id, or null for a root. */
  public String parentSpanId() {
    return span.getParentSpanId().isEmpty() ? null : HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
  }

  public String name() {
    return span.getName();
  }

  public Span.SpanKind kind() {
    return span.getKind();
  }

  public Map<String, Object> attributes() {
    return values(span.getAttributesList());
  }

  public Object attribute(String key) {
    return attributes().get(key);
  }

  static Map<String, Object> values(List<KeyValue> keyValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      out.put(keyValue.getKey(), value(keyValue.getValue()));
    }
    return out;
  }

  static Object value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case ARRAY_VALUE -> {
        List<Object> items = new ArrayList<>();
        value.getArrayValue().getValuesList().forEach(item -> items.add(value(item)));
        yield items;
      }
      case KVLIST_VALUE -> values(value.getKvlistValue().getValuesList());
      case BYTES_VALUE -> value.getBytesValue().toByteArray();
      default -> null;
    };
  }
}
