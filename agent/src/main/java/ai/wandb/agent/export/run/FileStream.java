package ai.wandb.agent.export.run;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.http.HttpResult;
import ai.wandb.agent.export.http.RetryPolicy;
import ai.wandb.agent.export.http.WandbHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's {@code file_stream} ({@code reference/wandb-run-api.md} 3): history and system-metrics
 * lines appended at their line offsets, the summary rewritten as one line, the final
 * {@code complete}/{@code exitcode}. Lines stay pending until the server took them, so a failed send
 * is repeated at the same offsets; a status the reference calls final stops the stream for good.
 */
final class FileStream {
  static final int MAX_LINE_BYTES = (10 << 20) - (100 << 10);
  static final int MAX_REQUEST_BYTES = 10 << 20;
  static final String HISTORY = "wandb-history.jsonl";
  static final String EVENTS = "wandb-events.jsonl";
  static final String SUMMARY = "wandb-summary.json";

  private final WandbHttp http;
  private final String url;
  private final int attempts;
  private final List<String> history = new ArrayList<String>();
  private final List<String> events = new ArrayList<String>();
  private long historyOffset;
  private long eventsOffset;
  private String summary;
  private boolean dead;
  private boolean stopped;
  /** Bytes per request; halved when the server answers 413 and grown back after a success. */
  private long requestBudget = MAX_REQUEST_BYTES;

  FileStream(WandbHttp http, String url, long historyOffset, int attempts) {
    this.http = http;
    this.url = url;
    this.historyOffset = historyOffset;
    this.attempts = attempts;
  }

  void history(Map<String, Object> row) {
    add(history, row, HISTORY);
  }

  /** A spooled row, with the line its segment made already when it has one. */
  void history(RunSegment.Row row) {
    if (row.line != null) {
      history.add(row.line);
    } else {
      history(row.values);
    }
  }

  void events(Map<String, Object> row) {
    add(events, row, EVENTS);
  }

  void summary(Map<String, Object> summary) {
    this.summary = Json.write(summary);
  }

  boolean hasData() {
    return !history.isEmpty() || !events.isEmpty() || summary != null;
  }

  /** Whether the lines waiting fill a request, counted as {@link #nextRequest} budgets them. */
  boolean full() {
    long bytes = 4096;
    for (List<String> lines : Arrays.asList(history, events)) {
      for (String line : lines) {
        bytes += line.length() * 2L + 8;
        if (bytes >= requestBudget) {
          return true;
        }
      }
    }
    return false;
  }

  boolean dead() {
    return dead;
  }

  /** True once the server answered {@code "stopped": true}: someone pressed the run's Stop button. */
  boolean stopped() {
    return stopped;
  }

  /** The first history line the server has not taken yet. */
  long acceptedHistoryOffset() {
    return historyOffset;
  }

  /** The offset the next {@link #history} row will be written at. */
  long nextHistoryOffset() {
    return historyOffset + history.size();
  }

  private static void add(List<String> lines, Map<String, Object> row, String file) {
    String line = line(row, file);
    if (line != null) {
      lines.add(line);
    }
  }

  /** The row as a line of {@code file}; null (and one warning) when W&B would refuse a line that long. */
  static String line(Map<String, Object> row, String file) {
    String line = Json.write(row);
    // A char is at most 3 UTF-8 bytes: most lines need no encoding to know they fit.
    if (line.length() > MAX_LINE_BYTES / 3 && line.getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
      AgentLog.warn("a " + file + " line of more than " + MAX_LINE_BYTES + " bytes was dropped, as W&B would");
      return null;
    }
    return line;
  }

  /** Sends everything pending (in requests under the size limit); true when all of it was taken. */
  boolean flush() {
    while (hasData() && !dead) {
      if (!post(nextRequest(false, 0))) {
        return false;
      }
    }
    return !dead;
  }

  /** Flushes, then marks the run finished with {@code exitCode}. */
  boolean finish(int exitCode) {
    if (!flush()) {
      return false;
    }
    return post(nextRequest(true, exitCode));
  }

  boolean heartbeat() {
    return dead || post(new Request(new LinkedHashMap<String, Object>(), 0, 0, false, false, 0));
  }

  private Request nextRequest(boolean complete, int exitCode) {
    Map<String, Object> body = new LinkedHashMap<String, Object>();
    Map<String, Object> files = new LinkedHashMap<String, Object>();
    long budget = requestBudget - 4096 - (summary == null ? 0 : summary.length() * 2L);
    int historyLines = take(files, HISTORY, history, historyOffset, budget);
    budget -= bytes(history, historyLines);
    int eventLines = take(files, EVENTS, events, eventsOffset, budget);
    boolean withSummary = summary != null && historyLines == history.size() && eventLines == events.size();
    if (withSummary) {
      files.put(SUMMARY, chunk(0, listOf(summary)));
    }
    if (!files.isEmpty()) {
      body.put("files", files);
    }
    if (complete) {
      body.put("complete", true);
      body.put("exitcode", exitCode);
    }
    return new Request(body, historyLines, eventLines, withSummary, complete, exitCode);
  }

  private static int take(Map<String, Object> files, String name, List<String> lines, long offset, long budget) {
    int count = 0;
    long used = 0;
    while (count < lines.size()) {
      long size = lines.get(count).length() * 2L + 8;
      if (count > 0 && used + size > budget) {
        break;
      }
      used += size;
      count++;
    }
    if (count > 0) {
      files.put(name, chunk(offset, new ArrayList<String>(lines.subList(0, count))));
    }
    return count;
  }

  private boolean post(Request request) {
    HttpResult result;
    try {
      result = http.postJson(url, Json.write(request.body), RetryPolicy.wandb(attempts));
    } catch (IOException e) {
      AgentLog.debug("file_stream: " + e);
      return false;
    }
    if (result.status() == 413 && request.historyLines + request.eventLines > 1) {
      // Too large for this server: the same lines go again, fewer per request, at the same offsets.
      requestBudget = Math.max(8192, requestBudget / 2);
      AgentLog.debug("file_stream answered 413; sending at most " + requestBudget + " bytes per request");
      return post(nextRequest(request.complete, request.exitCode));
    }
    if (result.ok()) {
      if (answersStopped(result.body())) {
        // As wandb-core's startProcessingFeedback: the run was stopped from the UI; nothing more goes to it.
        stopped = true;
        dead = true;
        return false;
      }
      requestBudget = Math.min(MAX_REQUEST_BYTES, requestBudget * 2);
      history.subList(0, request.historyLines).clear();
      historyOffset += request.historyLines;
      events.subList(0, request.eventLines).clear();
      eventsOffset += request.eventLines;
      if (request.summary) {
        summary = null;
      }
      return true;
    }
    if (!RetryPolicy.wandb(attempts).retryable(result.status())) {
      dead = true;
      AgentLog.warn("W&B refused the run's history (" + result.describe() + "); no more data goes to this run");
    }
    return false;
  }

  static boolean answersStopped(String body) {
    if (body == null || !body.contains("stopped")) {
      return false;
    }
    try {
      return Boolean.TRUE.equals(Json.parseObject(body).get("stopped"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static long bytes(List<String> lines, int count) {
    long total = 0;
    for (int i = 0; i < count; i++) {
      total += lines.get(i).length() * 2L + 8;
    }
    return total;
  }

  private static Map<String, Object> chunk(long offset, List<String> content) {
    Map<String, Object> chunk = new LinkedHashMap<String, Object>();
    chunk.put("offset", offset);
    chunk.put("content", content);
    return chunk;
  }

  private static List<String> listOf(String line) {
    List<String> list = new ArrayList<String>();
    list.add(line);
    return list;
  }

  private static final class Request {
    final Map<String, Object> body;
    final int historyLines;
    final int eventLines;
    final boolean summary;
    final boolean complete;
    final int exitCode;

    Request(Map<String, Object> body, int historyLines, int eventLines, boolean summary, boolean complete,
        int exitCode) {
      this.body = body;
      this.historyLines = historyLines;
      this.eventLines = eventLines;
      this.summary = summary;
      this.complete = complete;
      this.exitCode = exitCode;
    }
  }
}
