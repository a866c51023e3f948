package ai.wandb.agent.export.weave;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.http.HttpResult;
import ai.wandb.agent.export.http.RetryPolicy;
import ai.wandb.agent.export.http.WandbHttp;
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
 * halved on 413, retried on 429/5xx/I/O with one {@code X-Weave-Retry-Id} per logical request.
 */
final class WeaveClient {
  static final int REQUEST_BYTES_LIMIT = (32 - 1) * 1024 * 1024;

  /** The server answered that this project only takes {@code calls/complete}. */
  static final class CompleteModeRequired extends Exception {
    CompleteModeRequired(String message) {
      super(message);
    }
  }

  private final WandbHttp http;
  private final String traceUrl;
  private long dropped;

  WeaveClient(WandbHttp http, String traceUrl) {
    this.http = http;
    this.traceUrl = traceUrl;
  }

  /** Calls given up on (refused or out of retries). */
  long dropped() {
    return dropped;
  }

  /** Sends {@code {"mode", "req"}} items; a switch to complete mode is thrown before anything is lost. */
  void upsertBatch(List<Map<String, Object>> items) throws CompleteModeRequired {
    for (List<Map<String, Object>> chunk : chunks(items)) {
      send(traceUrl + "/call/upsert_batch", chunk, true);
    }
  }

  /** Sends completed calls to {@code /v2/<entity>/<project>/calls/complete}. */
  void complete(String entity, String project, List<Map<String, Object>> calls) {
    String url = traceUrl + "/v2/" + entity + "/" + project + "/calls/complete";
    for (List<Map<String, Object>> chunk : chunks(calls)) {
      try {
        send(url, chunk, false);
      } catch (CompleteModeRequired impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }

  private void send(String url, List<Map<String, Object>> items, boolean legacy) throws CompleteModeRequired {
    Map<String, Object> body = new LinkedHashMap<String, Object>();
    body.put("batch", items);
    Map<String, String> headers = new LinkedHashMap<String, String>();
    headers.put("X-Weave-Retry-Id", UUID.randomUUID().toString());
    HttpResult result;
    try {
      result = http.postJson(url, Json.write(body), RetryPolicy.weave(), headers);
    } catch (IOException e) {
      drop(items.size(), "the trace server is unreachable (" + e + ")");
      return;
    }
    if (result.ok()) {
      return;
    }
    if (legacy && result.status() == 400 && result.body().contains("CALLS_COMPLETE_MODE_REQUIRED")) {
      throw new CompleteModeRequired(result.body());
    }
    if (result.status() == 413 && items.size() > 1) {
      int half = items.size() / 2;
      send(url, new ArrayList<Map<String, Object>>(items.subList(0, half)), legacy);
      send(url, new ArrayList<Map<String, Object>>(items.subList(half, items.size())), legacy);
      return;
    }
    drop(items.size(), "the trace server answered " + result.describe());
  }

  private void drop(int count, String why) {
    dropped += count;
    AgentLog.warn("dropped " + count + " Weave call item(s): " + why);
  }

  /** Splits by encoded size so that each request stays under the limit (an oversize single item goes alone). */
  static List<List<Map<String, Object>>> chunks(List<Map<String, Object>> items) {
    List<List<Map<String, Object>>> out = new ArrayList<List<Map<String, Object>>>();
    List<Map<String, Object>> current = new ArrayList<Map<String, Object>>();
    long bytes = 16;
    for (Map<String, Object> item : items) {
      long size = Json.write(item).getBytes(StandardCharsets.UTF_8).length + 1;
      if (!current.isEmpty() && bytes + size > REQUEST_BYTES_LIMIT) {
        out.add(current);
        current = new ArrayList<Map<String, Object>>();
        bytes = 16;
      }
      current.add(item);
      bytes += size;
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }
}
