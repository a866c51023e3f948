package ai.wandb.agent.testing.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads an OTLP/HTTP protobuf trace export the way a collector does, with the official protobuf
 * definitions, and checks what the specification requires of it; a violation is an
 * {@link IllegalArgumentException} whose message the receivers answer 400 with.
 */
public final class OtlpRequests {
  private OtlpRequests() {}

  /** @param headers lower-case names */
  public static ExportTraceServiceRequest decode(Map<String, String> headers, byte[] body) {
    String type = headers.getOrDefault("content-type", "");
    if (!type.startsWith("application/x-protobuf")) {
      throw new IllegalArgumentException("Content-Type must be application/x-protobuf, was " + type);
    }
    String encoding = headers.getOrDefault("content-encoding", "identity");
    byte[] raw = body;
    if (encoding.equals("gzip")) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        raw = in.readAllBytes();
      } catch (IOException e) {
        throw new IllegalArgumentException("Content-Encoding gzip but the body is not gzip: " + e);
      }
    } else if (!encoding.equals("identity")) {
      throw new IllegalArgumentException("unsupported Content-Encoding " + encoding);
    }
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(raw);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an ExportTraceServiceRequest: " + e.getMessage());
    }
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          check(span);
        }
      }
    }
    return request;
  }

  public static List<ReceivedSpan> spans(ExportTraceServiceRequest request) {
    List<ReceivedSpan> out = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Map<String, Object> resource = ReceivedSpan.values(resourceSpans.getResource().getAttributesList());
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          out.add(new ReceivedSpan(resource, scopeSpans.getScope().getName(), scopeSpans.getScope().getVersion(), span));
        }
      }
    }
    return out;
  }

  private static void check(Span span) {
    if (span.getTraceId().size() != 16 || span.getTraceId().equals(com.google.protobuf.ByteString.copyFrom(new byte[16]))) {
      throw new IllegalArgumentException("span " + span.getName() + ": trace_id must be 16 non-zero bytes");
    }
    if (span.getSpanId().size() != 8) {
      throw new IllegalArgumentException("span " + span.getName() + ": span_id must be 8 bytes");
    }
    if (!span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != 8) {
      throw new IllegalArgumentException("span " + span.getName() + ": parent_span_id must be empty or 8 bytes");
    }
    if (span.getName().isEmpty()) {
      throw new IllegalArgumentException("a span without a name");
    }
    if (span.getStartTimeUnixNano() == 0 || span.getEndTimeUnixNano() < span.getStartTimeUnixNano()) {
      throw new IllegalArgumentException("span " + span.getName() + ": end before start or no start");
    }
    if (span.getKind() == Span.SpanKind.SPAN_KIND_UNSPECIFIED) {
      throw new IllegalArgumentException("span " + span.getName() + ": kind unspecified");
    }
  }
}
