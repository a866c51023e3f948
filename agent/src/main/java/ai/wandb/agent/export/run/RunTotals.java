package ai.wandb.agent.export.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** The run's running totals, kept in the summary beside the latest row's values; the worker's alone but for the bytes. */
final class RunTotals {
  long traces;
  long errors;
  long inputTokens;
  long outputTokens;
  long totalTokens;
  double costUsd;
  // Written by the run sink's worker, read by its sender for the system metrics.
  volatile long bytesSent;
  volatile long bytesReceived;

  void add(TraceMetrics metrics) {
    traces++;
    errors += metrics.error ? 1 : 0;
    inputTokens += metrics.inputTokens;
    outputTokens += metrics.outputTokens;
    totalTokens += metrics.totalTokens;
    costUsd += metrics.costUsd;
    bytesSent += metrics.bytesSent;
    bytesReceived += metrics.bytesReceived;
  }

  Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    out.put("total/traces", traces);
    out.put("total/errors", errors);
    out.put("total/input_tokens", inputTokens);
    out.put("total/output_tokens", outputTokens);
    out.put("total/total_tokens", totalTokens);
    out.put("total/cost_usd", costUsd);
    return out;
  }
}
