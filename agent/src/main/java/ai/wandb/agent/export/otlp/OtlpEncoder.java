package ai.wandb.agent.export.otlp;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Spooled span entries ({@link OtlpSpans}) as an {@code ExportTraceServiceRequest} in protobuf, written
 * field by field with {@link ProtoWriter} in the OTLP 1.x schema's field numbers (opentelemetry-proto
 * {@code trace/v1/trace.proto}, {@code common/v1/common.proto}). Proto3 leaves fields at their default
 * out, except inside {@code AnyValue}'s oneof, which always carries its value; the tests compare the bytes
 * with the official generated classes.
 */
final class OtlpEncoder {
  // ExportTraceServiceRequest
  private static final int REQUEST_RESOURCE_SPANS = 1;
  // ResourceSpans
  private static final int RESOURCE_SPANS_RESOURCE = 1;
  private static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
  // Resource
  private static final int RESOURCE_ATTRIBUTES = 1;
  // ScopeSpans
  private static final int SCOPE_SPANS_SCOPE = 1;
  private static final int SCOPE_SPANS_SPANS = 2;
  // InstrumentationScope
  private static final int SCOPE_NAME = 1;
  private static final int SCOPE_VERSION = 2;
  // Span
  private static final int SPAN_TRACE_ID = 1;
  private static final int SPAN_SPAN_ID = 2;
  private static final int SPAN_PARENT_SPAN_ID = 4;
  private static final int SPAN_NAME = 5;
  private static final int SPAN_KIND = 6;
  private static final int SPAN_START = 7;
  private static final int SPAN_END = 8;
  private static final int SPAN_ATTRIBUTES = 9;
  private static final int SPAN_STATUS = 15;
  private static final int KIND_INTERNAL = 1;
  private static final int KIND_CLIENT = 3;
  // Status
  private static final int STATUS_MESSAGE = 2;
  private static final int STATUS_CODE = 3;
  private static final int STATUS_CODE_ERROR = 2;
  // KeyValue
  private static final int KEY_VALUE_KEY = 1;
  private static final int KEY_VALUE_VALUE = 2;
  // AnyValue
  private static final int VALUE_STRING = 1;
  private static final int VALUE_BOOL = 2;
  private static final int VALUE_INT = 3;
  private static final int VALUE_DOUBLE = 4;
  private static final int VALUE_ARRAY = 5;
  // ArrayValue
  private static final int ARRAY_VALUES = 1;
  // ExportTraceServiceResponse, ExportTracePartialSuccess
  private static final int RESPONSE_PARTIAL_SUCCESS = 1;
  private static final int PARTIAL_REJECTED_SPANS = 1;
  private static final int PARTIAL_ERROR_MESSAGE = 2;

  private final Map<String, String> resourceAttributes;
  private final String scopeName;
  private final String scopeVersion;

  OtlpEncoder(Map<String, String> resourceAttributes, String scopeName, String scopeVersion) {
    this.resourceAttributes = resourceAttributes;
    this.scopeName = scopeName;
    this.scopeVersion = scopeVersion;
  }

  byte[] encode(List<Map<String, Object>> entries) {
    ProtoWriter out = new ProtoWriter(1024 + 2048 * entries.size());
    int resourceSpans = out.begin(REQUEST_RESOURCE_SPANS);
    int resource = out.begin(RESOURCE_SPANS_RESOURCE);
    for (Map.Entry<String, String> attribute : resourceAttributes.entrySet()) {
      int keyValue = out.begin(RESOURCE_ATTRIBUTES);
      stringField(out, KEY_VALUE_KEY, attribute.getKey());
      int value = out.begin(KEY_VALUE_VALUE);
      out.string(VALUE_STRING, attribute.getValue());
      out.end(value);
      out.end(keyValue);
    }
    out.end(resource);
    int scopeSpans = out.begin(RESOURCE_SPANS_SCOPE_SPANS);
    int scope = out.begin(SCOPE_SPANS_SCOPE);
    stringField(out, SCOPE_NAME, scopeName);
    stringField(out, SCOPE_VERSION, scopeVersion);
    out.end(scope);
    for (Map<String, Object> entry : entries) {
      int span = out.begin(SCOPE_SPANS_SPANS);
      span(out, entry);
      out.end(span);
    }
    out.end(scopeSpans);
    out.end(resourceSpans);
    return out.toByteArray();
  }

  /** {@code partial_success.rejected_spans} and {@code error_message} of a protobuf answer; null when all were taken. */
  static String rejected(byte[] response) throws IOException {
    long rejected = 0;
    String message = "";
    ProtoReader answer = new ProtoReader(response);
    for (int field = answer.next(); field != 0; field = answer.next()) {
      if (field != RESPONSE_PARTIAL_SUCCESS) {
        answer.skip();
        continue;
      }
      ProtoReader partial = answer.message();
      for (int inner = partial.next(); inner != 0; inner = partial.next()) {
        if (inner == PARTIAL_REJECTED_SPANS) {
          rejected = partial.varintValue();
        } else if (inner == PARTIAL_ERROR_MESSAGE) {
          message = partial.stringValue();
        } else {
          partial.skip();
        }
      }
    }
    return rejected == 0 ? null : rejected + " span(s) rejected: " + message;
  }

  private static void span(ProtoWriter out, Map<String, Object> entry) {
    out.bytes(SPAN_TRACE_ID, Hex.bytes((String) entry.get("trace_id")));
    out.bytes(SPAN_SPAN_ID, Hex.bytes((String) entry.get("span_id")));
    Object parent = entry.get("parent_span_id");
    if (parent instanceof String) {
      out.bytes(SPAN_PARENT_SPAN_ID, Hex.bytes((String) parent));
    }
    stringField(out, SPAN_NAME, String.valueOf(entry.get("name")));
    out.varint(SPAN_KIND, "CLIENT".equals(entry.get("kind")) ? KIND_CLIENT : KIND_INTERNAL);
    long start = ((Number) entry.get("start")).longValue();
    if (start != 0) {
      out.fixed64(SPAN_START, start);
    }
    long end = ((Number) entry.get("end")).longValue();
    if (end != 0) {
      out.fixed64(SPAN_END, end);
    }
    for (Map.Entry<String, Object> attribute : OtlpSpans.map(entry.get("attributes")).entrySet()) {
      if (!encodable(attribute.getValue())) {
        continue;
      }
      int keyValue = out.begin(SPAN_ATTRIBUTES);
      stringField(out, KEY_VALUE_KEY, attribute.getKey());
      int value = out.begin(KEY_VALUE_VALUE);
      value(out, attribute.getValue());
      out.end(value);
      out.end(keyValue);
    }
    Object error = entry.get("error");
    if (error instanceof String) {
      int status = out.begin(SPAN_STATUS);
      stringField(out, STATUS_MESSAGE, (String) error);
      out.varint(STATUS_CODE, STATUS_CODE_ERROR);
      out.end(status);
    }
  }

  /** Strings, booleans, numbers and lists of them; anything else is left out, as before. */
  private static boolean encodable(Object value) {
    return value instanceof String || value instanceof Boolean || value instanceof Number || value instanceof List;
  }

  /** The {@code AnyValue} oneof: its one field is written even when it holds the default. */
  private static void value(ProtoWriter out, Object value) {
    if (value instanceof String) {
      out.string(VALUE_STRING, (String) value);
    } else if (value instanceof Boolean) {
      out.varint(VALUE_BOOL, ((Boolean) value) ? 1 : 0);
    } else if (value instanceof Double || value instanceof Float) {
      out.double64(VALUE_DOUBLE, ((Number) value).doubleValue());
    } else if (value instanceof Number) {
      out.varint(VALUE_INT, ((Number) value).longValue());
    } else {
      int array = out.begin(VALUE_ARRAY);
      for (Object item : (List<?>) value) {
        if (encodable(item)) {
          int itemValue = out.begin(ARRAY_VALUES);
          value(out, item);
          out.end(itemValue);
        }
      }
      out.end(array);
    }
  }

  /** A proto3 string field outside a oneof: the empty string is the default and is not written. */
  private static void stringField(ProtoWriter out, int field, String value) {
    if (value != null && !value.isEmpty()) {
      out.string(field, value);
    }
  }

  /** Lower-case hex ids as the bytes OTLP carries. */
  static final class Hex {
    private Hex() {}

    static byte[] bytes(String hex) {
      byte[] out = new byte[hex.length() / 2];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) ((Character.digit(hex.charAt(2 * i), 16) << 4) | Character.digit(hex.charAt(2 * i + 1), 16));
      }
      return out;
    }
  }
}
