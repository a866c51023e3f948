package ai.wandb.agent.export.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Spooled span entries ({@link OtlpSpans}) as an {@code ExportTraceServiceRequest}, built with the
 * official OTLP protobuf classes. Only the sender thread loads this class, with the first batch it
 * sends: protobuf is never loaded in premain or on an application thread.
 */
final class OtlpEncoder {
  private final Resource resource;
  private final InstrumentationScope scope;

  OtlpEncoder(Map<String, String> resourceAttributes, String scopeName, String scopeVersion) {
    Resource.Builder resource = Resource.newBuilder();
    for (Map.Entry<String, String> attribute : resourceAttributes.entrySet()) {
      resource.addAttributes(KeyValue.newBuilder().setKey(attribute.getKey())
          .setValue(AnyValue.newBuilder().setStringValue(attribute.getValue())));
    }
    this.resource = resource.build();
    this.scope = InstrumentationScope.newBuilder().setName(scopeName).setVersion(scopeVersion).build();
  }

  byte[] encode(List<Map<String, Object>> entries) {
    ScopeSpans.Builder spans = ScopeSpans.newBuilder().setScope(scope);
    for (Map<String, Object> entry : entries) {
      spans.addSpans(span(entry));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(spans))
        .build()
        .toByteArray();
  }

  /** {@code partial_success.rejected_spans} and {@code error_message} of a protobuf answer; null when all were taken. */
  static String rejected(byte[] response) throws IOException {
    ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response);
    if (!answer.hasPartialSuccess() || answer.getPartialSuccess().getRejectedSpans() == 0) {
      return null;
    }
    return answer.getPartialSuccess().getRejectedSpans() + " span(s) rejected: "
        + answer.getPartialSuccess().getErrorMessage();
  }

  private static Span span(Map<String, Object> entry) {
    Span.Builder span = Span.newBuilder()
        .setTraceId(Hex.bytes((String) entry.get("trace_id")))
        .setSpanId(Hex.bytes((String) entry.get("span_id")))
        .setName(String.valueOf(entry.get("name")))
        .setKind("CLIENT".equals(entry.get("kind")) ? Span.SpanKind.SPAN_KIND_CLIENT : Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(((Number) entry.get("start")).longValue())
        .setEndTimeUnixNano(((Number) entry.get("end")).longValue());
    Object parent = entry.get("parent_span_id");
    if (parent instanceof String) {
      span.setParentSpanId(Hex.bytes((String) parent));
    }
    Object error = entry.get("error");
    if (error instanceof String) {
      span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage((String) error));
    }
    for (Map.Entry<String, Object> attribute : OtlpSpans.map(entry.get("attributes")).entrySet()) {
      AnyValue value = value(attribute.getValue());
      if (value != null) {
        span.addAttributes(KeyValue.newBuilder().setKey(attribute.getKey()).setValue(value));
      }
    }
    return span.build();
  }

  private static AnyValue value(Object value) {
    if (value instanceof String) {
      return AnyValue.newBuilder().setStringValue((String) value).build();
    }
    if (value instanceof Boolean) {
      return AnyValue.newBuilder().setBoolValue((Boolean) value).build();
    }
    if (value instanceof Double || value instanceof Float) {
      return AnyValue.newBuilder().setDoubleValue(((Number) value).doubleValue()).build();
    }
    if (value instanceof Number) {
      return AnyValue.newBuilder().setIntValue(((Number) value).longValue()).build();
    }
    if (value instanceof List) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      for (Object item : (List<?>) value) {
        AnyValue itemValue = value(item);
        if (itemValue != null) {
          array.addValues(itemValue);
        }
      }
      return AnyValue.newBuilder().setArrayValue(array).build();
    }
    return null;
  }

  /** Lower-case hex ids as the bytes OTLP carries. */
  static final class Hex {
    private Hex() {}

    static com.google.protobuf.ByteString bytes(String hex) {
      byte[] out = new byte[hex.length() / 2];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
      }
      return com.google.protobuf.ByteString.copyFrom(out);
    }
  }
}
