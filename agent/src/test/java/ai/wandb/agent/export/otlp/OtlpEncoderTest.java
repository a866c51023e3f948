package ai.wandb.agent.export.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
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
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written encoder against the official OTLP classes: for the same spooled entries both must
 * give the same bytes, and the official parser must read back every field.
 */
class OtlpEncoderTest {
  private static final Map<String, String> RESOURCE = new LinkedHashMap<>();

  static {
    RESOURCE.put("service.name", "checkout");
    RESOURCE.put("telemetry.sdk.name", "wandb-agent");
    RESOURCE.put("empty", "");
  }

  @Test
  void everyKindOfSpanAndValueEncodesAsTheOfficialClassesDo() throws Exception {
    List<Map<String, Object>> entries = new ArrayList<>();
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("gen_ai.operation.name", "chat");
    attributes.put("empty.string", "");
    attributes.put("unicode", "h\u00e9llo \u4e16\u754c \ud83d\ude80 and a lone \ud800 surrogate");
    attributes.put("flag.true", true);
    attributes.put("flag.false", false);
    attributes.put("tokens", 12L);
    attributes.put("zero", 0);
    attributes.put("negative", -5L);
    attributes.put("big", Long.MAX_VALUE);
    attributes.put("temperature", 0.2);
    attributes.put("float", 1.5f);
    attributes.put("double.zero", 0.0);
    attributes.put("finish_reasons", List.of("stop", "length"));
    attributes.put("mixed", Arrays.asList("a", 1L, true, 2.5, null, Map.of("skipped", "map"), List.of("nested")));
    attributes.put("empty.list", List.of());
    attributes.put("a.map", Map.of("k", "v"));
    attributes.put("a.null", null);
    attributes.put("long.text", "x".repeat(300_000));
    entries.add(entry("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", null, "chat gpt-4o-mini", "CLIENT",
        1_700_000_000_123_456_789L, 1_700_000_001_000_000_000L, attributes, null));
    entries.add(entry("0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7", "b7ad6b7169203331", "execute_tool weather",
        "INTERNAL", 5L, 6L, Map.of(), "IOException: connection reset"));
    entries.add(entry("ffffffffffffffffffffffffffffffff", "ffffffffffffffff", null, "", "INTERNAL", 0L, 0L,
        null, ""));

    byte[] ours = new OtlpEncoder(RESOURCE, "wandb-agent", "0.1.0").encode(entries);

    assertArrayEquals(official(RESOURCE, "wandb-agent", "0.1.0", entries).toByteArray(), ours);
    ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(ours);
    assertEquals(UnknownFieldSet.getDefaultInstance(), parsed.getUnknownFields());
    Span chat = parsed.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertEquals("chat gpt-4o-mini", chat.getName());
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, chat.getKind());
    assertEquals(1_700_000_000_123_456_789L, chat.getStartTimeUnixNano());
    assertEquals("0af7651916cd43dd8448eb211c80319c", hex(chat.getTraceId()));
    Span tool = parsed.getResourceSpans(0).getScopeSpans(0).getSpans(1);
    assertEquals("b7ad6b7169203331", hex(tool.getParentSpanId()));
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, tool.getStatus().getCode());
    assertEquals("IOException: connection reset", tool.getStatus().getMessage());
    assertEquals("checkout", parsed.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue());
  }

  @Test
  void anEmptyBatchAndAnEmptyResourceStillCarryTheirMessages() {
    byte[] ours = new OtlpEncoder(Map.of(), "", "").encode(List.of());
    assertArrayEquals(official(Map.of(), "", "", List.of()).toByteArray(), ours);
  }

  @Test
  void randomBatchesEncodeAsTheOfficialClassesDo() {
    Random random = new Random(20261201);
    for (int round = 0; round < 200; round++) {
      List<Map<String, Object>> entries = new ArrayList<>();
      int spans = random.nextInt(20);
      for (int i = 0; i < spans; i++) {
        Map<String, Object> attributes = new HashMap<>();
        int count = random.nextInt(12);
        for (int a = 0; a < count; a++) {
          attributes.put("k" + a, randomValue(random, 0));
        }
        entries.add(entry(hexOf(random, 16), hexOf(random, 8), random.nextBoolean() ? hexOf(random, 8) : null,
            "span " + "y".repeat(random.nextInt(200)), random.nextBoolean() ? "CLIENT" : "INTERNAL",
            Math.abs(random.nextLong()), Math.abs(random.nextLong()), attributes,
            random.nextInt(4) == 0 ? "failed " + random.nextInt() : null));
      }
      assertArrayEquals(official(RESOURCE, "wandb-agent", "1", entries).toByteArray(),
          new OtlpEncoder(RESOURCE, "wandb-agent", "1").encode(entries), "round " + round);
    }
  }

  @Test
  void aPartialSuccessAnswerNamesTheRejectedSpansAndTheCollectorsMessage() throws Exception {
    byte[] answer = ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(3).setErrorMessage("too old"))
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(7, UnknownFieldSet.Field.newBuilder().addVarint(1).addLengthDelimited(ByteString.copyFromUtf8("x"))
                .addFixed32(9).addFixed64(10).build())
            .build())
        .build().toByteArray();
    assertEquals("3 span(s) rejected: too old", OtlpEncoder.rejected(answer));
  }

  @Test
  void aFullSuccessAnswerIsNoRejection() throws Exception {
    assertNull(OtlpEncoder.rejected(new byte[0]));
    assertNull(OtlpEncoder.rejected(ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setErrorMessage("just a warning")).build()
        .toByteArray()));
  }

  @Test
  void aMalformedAnswerIsAnIoExceptionNotACrash() {
    assertThrows(IOException.class, () -> OtlpEncoder.rejected(new byte[] {0x0a, 0x10, 0x08}));
    assertThrows(IOException.class, () -> OtlpEncoder.rejected(new byte[] {(byte) 0x80}));
    assertThrows(IOException.class, () -> OtlpEncoder.rejected(new byte[] {0x0b}));
    assertThrows(IOException.class, () -> OtlpEncoder.rejected(new byte[] {0x0a, 0x01, 0x12, 0x05}));
  }

  private static Object randomValue(Random random, int depth) {
    switch (random.nextInt(depth < 2 ? 7 : 6)) {
      case 0:
        return "v" + "\u00e9".repeat(random.nextInt(100));
      case 1:
        return random.nextBoolean();
      case 2:
        return random.nextLong() >> random.nextInt(64);
      case 3:
        return random.nextDouble() * 1000 - 500;
      case 4:
        return random.nextInt();
      case 5:
        return random.nextBoolean() ? null : Map.of();
      default:
        List<Object> list = new ArrayList<>();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
          list.add(randomValue(random, depth + 1));
        }
        return list;
    }
  }

  private static String hexOf(Random random, int bytes) {
    byte[] id = new byte[bytes];
    random.nextBytes(id);
    return hex(ByteString.copyFrom(id));
  }

  private static String hex(ByteString bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes.toByteArray()) {
      out.append(String.format("%02x", b));
    }
    return out.toString();
  }

  private static Map<String, Object> entry(String traceId, String spanId, String parent, String name, String kind,
      long start, long end, Map<String, Object> attributes, String error) {
    Map<String, Object> entry = new HashMap<>();
    entry.put("trace_id", traceId);
    entry.put("span_id", spanId);
    if (parent != null) {
      entry.put("parent_span_id", parent);
    }
    entry.put("name", name);
    entry.put("kind", kind);
    entry.put("start", start);
    entry.put("end", end);
    entry.put("attributes", attributes);
    if (error != null) {
      entry.put("error", error);
    }
    return entry;
  }

  /** The same entries through the generated OTLP classes, as the encoder did before it was written by hand. */
  private static ExportTraceServiceRequest official(Map<String, String> resourceAttributes, String scopeName,
      String scopeVersion, List<Map<String, Object>> entries) {
    Resource.Builder resource = Resource.newBuilder();
    resourceAttributes.forEach((key, value) ->
        resource.addAttributes(KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value))));
    ScopeSpans.Builder spans = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName(scopeName).setVersion(scopeVersion));
    for (Map<String, Object> entry : entries) {
      Span.Builder span = Span.newBuilder()
          .setTraceId(ByteString.copyFrom(OtlpEncoder.Hex.bytes((String) entry.get("trace_id"))))
          .setSpanId(ByteString.copyFrom(OtlpEncoder.Hex.bytes((String) entry.get("span_id"))))
          .setName(String.valueOf(entry.get("name")))
          .setKind("CLIENT".equals(entry.get("kind")) ? Span.SpanKind.SPAN_KIND_CLIENT : Span.SpanKind.SPAN_KIND_INTERNAL)
          .setStartTimeUnixNano((Long) entry.get("start"))
          .setEndTimeUnixNano((Long) entry.get("end"));
      if (entry.get("parent_span_id") != null) {
        span.setParentSpanId(ByteString.copyFrom(OtlpEncoder.Hex.bytes((String) entry.get("parent_span_id"))));
      }
      if (entry.get("error") != null) {
        span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
            .setMessage((String) entry.get("error")));
      }
      for (Map.Entry<String, Object> attribute : OtlpSpans.map(entry.get("attributes")).entrySet()) {
        AnyValue value = officialValue(attribute.getValue());
        if (value != null) {
          span.addAttributes(KeyValue.newBuilder().setKey(attribute.getKey()).setValue(value));
        }
      }
      spans.addSpans(span);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(spans)).build();
  }

  private static AnyValue officialValue(Object value) {
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
        AnyValue itemValue = officialValue(item);
        if (itemValue != null) {
          array.addValues(itemValue);
        }
      }
      return AnyValue.newBuilder().setArrayValue(array).build();
    }
    return null;
  }
}
