package ai.wandb.agent.export.otlp;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.http.HttpResult;
import ai.wandb.agent.export.http.RetryPolicy;
import ai.wandb.agent.export.http.WandbHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * One OTLP/HTTP protobuf export request: gzip when configured, retried on 429/5xx/I/O with backoff and
 * {@code Retry-After} by {@link WandbHttp}; what still fails is an {@link Outcome} for the sink, which
 * keeps the batch in its spool. {@code partial_success} (protobuf, or the JSON Weave answers with) is
 * reported once.
 */
final class OtlpClient {
  enum Outcome {
    SENT,
    /** Retryable failure: keep the batch and try later. */
    LATER,
    /** Refused for good (a 4xx): the batch is dropped and counted. */
    REFUSED,
    /** 401/403: nothing more is sent by this process; batches stay spooled. */
    UNAUTHORIZED
  }

  private final WandbHttp http;
  private final String url;
  private final String displayUrl;
  private final Map<String, String> headers;
  private final boolean gzip;
  private String problem;
  private boolean partialReported;

  OtlpClient(WandbHttp http, OtlpSettings settings, Map<String, String> extraHeaders) {
    this.http = http;
    this.url = settings.url;
    this.displayUrl = settings.displayUrl();
    this.gzip = settings.gzip;
    Map<String, String> all = new LinkedHashMap<String, String>();
    all.put("Content-Type", "application/x-protobuf");
    all.put("Accept", "application/x-protobuf, application/json");
    if (gzip) {
      all.put("Content-Encoding", "gzip");
    }
    all.putAll(extraHeaders);
    all.putAll(settings.headers);
    this.headers = all;
  }

  /** Why the last send did not go through. */
  String problem() {
    return problem;
  }

  Outcome send(byte[] request) {
    return send(request, RetryPolicy.otlp());
  }

  Outcome send(byte[] request, RetryPolicy policy) {
    HttpResult result;
    try {
      result = http.post(url, gzip ? gzip(request) : request, policy, headers);
    } catch (IOException e) {
      problem = e.toString();
      return Outcome.LATER;
    }
    if (result.ok()) {
      reportPartialSuccess(result.bytes());
      return Outcome.SENT;
    }
    problem = displayUrl + " answered " + result.describe();
    if (result.status() == 401 || result.status() == 403) {
      return Outcome.UNAUTHORIZED;
    }
    return RetryPolicy.otlp().retryable(result.status()) ? Outcome.LATER : Outcome.REFUSED;
  }

  private void reportPartialSuccess(byte[] answer) {
    if (partialReported || answer.length == 0) {
      return;
    }
    String rejected;
    try {
      rejected = answer[0] == '{' ? rejectedJson(answer) : OtlpEncoder.rejected(answer);
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("unreadable OTLP answer from " + displayUrl + ": " + e);
      return;
    }
    if (rejected != null) {
      partialReported = true;
      AgentLog.warn(displayUrl + " took the traces but " + rejected + " (reported once)");
    }
  }

  private static String rejectedJson(byte[] answer) throws IOException {
    Map<String, Object> partial = OtlpSpans.map(Json.parseObject(new String(answer, "UTF-8")).get("partial_success"));
    Object count = partial.containsKey("rejected_spans") ? partial.get("rejected_spans") : partial.get("rejectedSpans");
    long rejected = count instanceof Number ? ((Number) count).longValue()
        : count instanceof String ? Long.parseLong((String) count) : 0;
    if (rejected == 0) {
      return null;
    }
    Object message = partial.containsKey("error_message") ? partial.get("error_message") : partial.get("errorMessage");
    return rejected + " span(s) rejected: " + (message == null ? "" : message);
  }

  static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    GZIPOutputStream zip = new GZIPOutputStream(out);
    try {
      zip.write(body);
    } finally {
      zip.close();
    }
    return out.toByteArray();
  }
}
