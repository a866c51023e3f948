package ai.wandb.agent.export.run;

import ai.wandb.agent.api.CountedUsage;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.api.Usage;
import ai.wandb.agent.export.TraceJson;
import ai.wandb.agent.export.cost.Pricing;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scalars logged beside each trace (so they chart and show as Trace Table columns) and the
 * bytes its model calls exchanged, approximated by the size of the rendered request and response.
 */
public final class TraceMetrics {
  public static final String TRACE_KEY = "trace";
  /** The trace's id in its history row: the key of the run spool's exactly-once rule. */
  public static final String TRACE_ID_KEY = "trace_id";

  final Map<String, Object> row = new LinkedHashMap<String, Object>();
  final long inputTokens;
  final long outputTokens;
  final long totalTokens;
  final boolean error;
  final double costUsd;
  final long bytesSent;
  final long bytesReceived;

  private TraceMetrics(Span root) {
    long in = 0;
    long out = 0;
    long total = 0;
    long sent = 0;
    long received = 0;
    boolean failed = false;
    Double firstToken = null;
    // Each model call once, where two layers trace it (the innermost span with usage counts).
    for (Span counted : CountedUsage.countedSpans(root)) {
      Usage usage = counted.usage();
      in += usage.inputTokens() == null ? 0 : usage.inputTokens();
      out += usage.outputTokens() == null ? 0 : usage.outputTokens();
      total += usage.totalTokens() == null ? 0 : usage.totalTokens();
    }
    for (Span span : TraceJson.flatten(root)) {
      failed |= span.status() != SpanStatus.OK;
      if (span.request() != null) {
        sent += size(span.inputs());
        received += size(span.outputs());
      }
      Object ttft = span.attributes().get("wandb.time_to_first_token_ms");
      if (firstToken == null && ttft instanceof Number) {
        firstToken = ((Number) ttft).doubleValue();
      }
    }
    this.inputTokens = in;
    this.outputTokens = out;
    this.totalTokens = total;
    this.error = failed;
    this.bytesSent = sent;
    this.bytesReceived = received;
    row.put(TRACE_KEY, TraceTree.of(root));
    row.put(TRACE_ID_KEY, root.traceId());
    row.put("name", root.name());
    row.put("latency_ms", root.durationNanos() / 1e6);
    row.put("usage/input_tokens", in);
    row.put("usage/output_tokens", out);
    row.put("usage/total_tokens", total);
    row.put("error", failed ? 1 : 0);
    Double cost = Pricing.traceCost(root).usd;
    if (cost != null) {
      row.put("cost/usd", cost);
    }
    this.costUsd = cost == null ? 0 : cost;
    row.put("spans", TraceJson.flatten(root).size());
    if (firstToken != null) {
      row.put("time_to_first_token_ms", firstToken);
    }
  }

  public static TraceMetrics of(Span root) {
    return new TraceMetrics(root);
  }

  /** The history row without the reserved {@code _step}, {@code _runtime}, {@code _timestamp}. */
  public Map<String, Object> row() {
    return row;
  }

  private static long size(Object json) {
    return json == null ? 0 : Json.utf8Length(json);
  }
}
