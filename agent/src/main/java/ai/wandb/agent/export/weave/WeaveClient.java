package ai.wandb.agent.export.weave;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.http.HttpResult;
import ai.wandb.agent.export.http.RetryPolicy;
import ai.wandb.agent.export.http.WandbHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes calls to the trace server ({@code reference/weave-api.md} 3.4, 3.6, 4): legacy
 * {@code /call/upsert_batch} items or v2 {@code calls/complete} calls, in requests under 31 MiB,
 * halved on 413, retried on 429/5xx/I/O with one {@code X-Weave-Retry-Id} per logical request. What
 * still fails is reported as an {@link Outcome}; the sink keeps such batches in its spool.
 */
final class WeaveClient {
  static final int REQUEST_BYTES_LIMIT = (32 - 1) * 1024 * 1024;
  private static final byte[] BATCH_OPEN = utf8("{\"batch\":[");

  /** The server answered that this project only takes {@code calls/complete}. */
  static final class CompleteModeRequired extends Exception {
    private static final long serialVersionUID = 1L;

    CompleteModeRequired(String message) {
      super(message);
    }
  }

  /** How a request ended, worst last: the sink keeps a batch on disk unless it was SENT or REFUSED. */
  enum Outcome {
    SENT,
    /** A final 4xx other than 401/403: resending cannot help; counted as dropped. */
    REFUSED,
    /** Unreachable, 429 or 5xx after the retries: try again later. */
    LATER,
    /** 401/403: the key is wrong or lacks access; nothing goes out until it is fixed. */
    UNAUTHORIZED;

    Outcome worst(Outcome other) {
      return other.ordinal() > ordinal() ? other : this;
    }
  }

  private static final Outcome SPLIT = null;

  private final WandbHttp http;
  private final String traceUrl;
  private long dropped;
  private String lastProblem;

  WeaveClient(WandbHttp http, String traceUrl) {
    this.http = http;
    this.traceUrl = traceUrl;
  }

  /** Calls given up on (refused or out of retries). */
  long dropped() {
    return dropped;
  }

  /** Why the last request did not succeed, for the sink's one warning line. */
  String lastProblem() {
    return lastProblem;
  }

  /**
   * Sends {@code {"mode", "req"}} items, each its JSON already; a switch to complete mode is thrown
   * before anything is lost.
   */
  Outcome upsertBatch(List<byte[]> items) throws CompleteModeRequired {
    Outcome outcome = Outcome.SENT;
    for (List<byte[]> chunk : chunks(items)) {
      outcome = outcome.worst(send(traceUrl + "/call/upsert_batch", chunk, true));
    }
    return outcome;
  }

  /** Sends completed calls to {@code /v2/<entity>/<project>/calls/complete}. */
  Outcome complete(String entity, String project, List<Map<String, Object>> calls) {
    String url = traceUrl + "/v2/" + entity + "/" + project + "/calls/complete";
    Outcome outcome = Outcome.SENT;
    List<byte[]> encoded = new ArrayList<byte[]>(calls.size());
    for (Map<String, Object> call : calls) {
      encoded.add(utf8(Json.write(call)));
    }
    for (List<byte[]> chunk : chunks(encoded)) {
      try {
        outcome = outcome.worst(send(url, chunk, false));
      } catch (CompleteModeRequired impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    return outcome;
  }

  /**
   * Sends one end whose start went earlier (before the project asked for complete mode) to
   * {@code /v2/<entity>/<project>/call/end}, as the Python client does: its fields with {@code started_at}.
   */
  Outcome endV2(String entity, String project, Map<String, Object> end) {
    Map<String, Object> body = new LinkedHashMap<String, Object>();
    body.put("end", end);
    try {
      return post(traceUrl + "/v2/" + entity + "/" + project + "/call/end", utf8(Json.write(body)), 1, false);
    } catch (CompleteModeRequired impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /**
   * Creates (or finds: ops are content-addressed) the op object {@code name} with {@code sourceCode}
   * through {@code POST /v2/<entity>/<project>/ops}: its digest; "" when the server refused (an older
   * server without the route), null when it could not be asked now.
   */
  String createOp(String entity, String project, String name, String sourceCode) {
    Map<String, Object> body = new LinkedHashMap<String, Object>();
    body.put("name", name);
    body.put("source_code", sourceCode);
    try {
      HttpResult result = http.postJson(traceUrl + "/v2/" + entity + "/" + project + "/ops", Json.write(body),
          RetryPolicy.weave(), new LinkedHashMap<String, String>());
      if (!result.ok()) {
        AgentLog.debug("creating the Weave op " + name + ": " + result.describe());
        return RetryPolicy.weave().retryable(result.status()) ? null : "";
      }
      Object digest = Json.parseObject(result.body()).get("digest");
      return digest instanceof String ? (String) digest : "";
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("creating the Weave op " + name + ": " + e);
      return null;
    }
  }

  /** {@code items}: each item's JSON, encoded once for both the size limit and the body. */
  private Outcome send(String url, List<byte[]> items, boolean legacy) throws CompleteModeRequired {
    Outcome outcome = post(url, batchBody(items), items.size(), legacy);
    if (outcome == SPLIT) {
      int half = items.size() / 2;
      Outcome first = send(url, items.subList(0, half), legacy);
      return first.worst(send(url, items.subList(half, items.size()), legacy));
    }
    return outcome;
  }

  /** {@code {"batch": [items]}}: the bytes {@code Json.write} gives that object, joined from the items' own. */
  private static byte[] batchBody(List<byte[]> items) {
    int length = BATCH_OPEN.length + 2 + Math.max(0, items.size() - 1);
    for (byte[] item : items) {
      length += item.length;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(length);
    body.write(BATCH_OPEN, 0, BATCH_OPEN.length);
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        body.write(',');
      }
      body.write(items.get(i), 0, items.get(i).length);
    }
    body.write(']');
    body.write('}');
    return body.toByteArray();
  }

  /** Null ({@link #SPLIT}) when the server answered 413 and the items can be halved. */
  private Outcome post(String url, byte[] body, int items, boolean legacy) throws CompleteModeRequired {
    Map<String, String> headers = new LinkedHashMap<String, String>();
    headers.put("X-Weave-Retry-Id", UUID.randomUUID().toString());
    HttpResult result;
    try {
      result = http.post(url, body, RetryPolicy.weave(), headers);
    } catch (IOException e) {
      lastProblem = "the trace server is unreachable (" + e + ")";
      return Outcome.LATER;
    }
    if (result.ok()) {
      return Outcome.SENT;
    }
    if (legacy && result.status() == 400 && result.body().contains("CALLS_COMPLETE_MODE_REQUIRED")) {
      throw new CompleteModeRequired(result.body());
    }
    if (result.status() == 413 && items > 1) {
      return SPLIT;
    }
    lastProblem = "the trace server answered " + result.describe();
    if (result.status() == 401 || result.status() == 403) {
      return Outcome.UNAUTHORIZED;
    }
    if (RetryPolicy.weave().retryable(result.status())) {
      return Outcome.LATER;
    }
    drop(items, lastProblem);
    return Outcome.REFUSED;
  }

  private void drop(int count, String why) {
    dropped += count;
    AgentLog.warn("dropped " + count + " Weave call item(s): " + why);
  }

  /** The items' JSON split by size so that each request stays under the limit (an oversize single item goes alone). */
  static List<List<byte[]>> chunks(List<byte[]> items) {
    List<List<byte[]>> out = new ArrayList<List<byte[]>>();
    List<byte[]> current = new ArrayList<byte[]>();
    long bytes = 16;
    for (byte[] json : items) {
      long size = json.length + 1;
      if (!current.isEmpty() && bytes + size > REQUEST_BYTES_LIMIT) {
        out.add(current);
        current = new ArrayList<byte[]>();
        bytes = 16;
      }
      current.add(json);
      bytes += size;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  /** As {@link WandbHttp#postJson} encodes a body: the text, then UTF-8. */
  static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
