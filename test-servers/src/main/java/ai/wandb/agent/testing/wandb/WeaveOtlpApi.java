package ai.wandb.agent.testing.wandb;

import ai.wandb.agent.testing.otlp.OtlpRequests;
import ai.wandb.agent.testing.otlp.ReceivedSpan;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The trace server's OTLP ingestion, {@code POST /otel/v1/traces} ({@code reference/weave-api.md},
 * addendum): OTLP/HTTP protobuf, the project from the resource attributes {@code wandb.entity} and
 * {@code wandb.project} or, on older servers, the {@code project_id} header; every span of a request in
 * one project; a span with both a scalar {@code a.b} and a key {@code a.b.c} is rejected and counted in
 * {@code partial_success}, as the real server does. Auth is checked by {@link WandbTestServer}.
 */
final class WeaveOtlpApi {
  private final List<WeaveOtelSpan> spans = new ArrayList<>();

  /** @param headers lower-case names */
  String handle(String method, Map<String, String> headers, byte[] body) {
    if (!method.equals("POST")) {
      throw Rejection.reason(405, "method not allowed");
    }
    ExportTraceServiceRequest request;
    try {
      request = OtlpRequests.decode(headers, body);
    } catch (IllegalArgumentException e) {
      throw Rejection.reason(400, e.getMessage());
    }
    List<ReceivedSpan> received = OtlpRequests.spans(request);
    int rejected = 0;
    String why = "";
    List<WeaveOtelSpan> accepted = new ArrayList<>();
    for (ReceivedSpan span : received) {
      String projectId = projectId(span.resource(), headers.get("project_id"));
      String conflict = pathConflict(span.attributes().keySet());
      if (conflict != null) {
        rejected++;
        why = "AttributePathConflictError: " + conflict;
        continue;
      }
      accepted.add(new WeaveOtelSpan(projectId, span));
    }
    synchronized (this) {
      spans.addAll(accepted);
    }
    return rejected == 0 ? "{\"partial_success\":{}}"
        : "{\"partial_success\":{\"rejected_spans\":" + rejected + ",\"error_message\":\"" + why + "\"}}";
  }

  synchronized List<WeaveOtelSpan> spans() {
    return new ArrayList<>(spans);
  }

  private static String projectId(Map<String, Object> resource, String header) {
    Object entity = resource.get("wandb.entity");
    Object project = resource.get("wandb.project");
    if (entity instanceof String && project instanceof String) {
      return entity + "/" + project;
    }
    if (header != null && header.contains("/")) {
      return header;
    }
    throw Rejection.reason(400, "missing the project: resource attributes wandb.entity and wandb.project, or the"
        + " project_id header");
  }

  private static String pathConflict(Set<String> keys) {
    for (String key : keys) {
      for (String other : keys) {
        if (other.startsWith(key + ".")) {
          return key + " and " + other;
        }
      }
    }
    return null;
  }
}
