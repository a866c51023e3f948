package ai.wandb.agent.testing.wandb;

import ai.wandb.agent.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code POST /files/<entity>/<project>/<run>/file_stream}: sparse line files per run, with the
 * reference's offsets (history and events may only continue or rewrite, never leave a gap; the
 * summary is one line), line and request size limits, and no writes after {@code complete}.
 */
final class FileStreamApi {
  static final int MAX_LINE_BYTES = (10 << 20) - (100 << 10);
  static final int MAX_REQUEST_BYTES = 10 << 20;
  private static final Set<String> TOP_LEVEL =
      Set.of("files", "uploaded", "preempting", "complete", "exitcode", "dropped", "failed");
  private static final Set<String> FILES =
      Set.of("wandb-history.jsonl", "wandb-summary.json", "wandb-events.jsonl", "output.log");

  private final WandbTestServer server;

  FileStreamApi(WandbTestServer server) {
    this.server = server;
  }

  String handle(String entity, String project, String runName, byte[] body) {
    if (body.length > MAX_REQUEST_BYTES) {
      throw Rejection.error(413, "request larger than " + MAX_REQUEST_BYTES + " bytes");
    }
    RecordedRun run;
    synchronized (server) {
      run = server.runs.get(entity + "/" + project + "/" + runName);
    }
    if (run == null) {
      throw Rejection.error(404, "run " + entity + "/" + project + "/" + runName + " not found");
    }
    Map<String, Object> request = parse(body);
    Strict.onlyKeys(request, TOP_LEVEL, key -> Rejection.error(400, "unknown key " + key));
    boolean complete = Boolean.TRUE.equals(request.get("complete"));
    if (request.containsKey("exitcode") && !complete) {
      throw Rejection.error(400, "exitcode is sent only with complete: true");
    }
    if (request.containsKey("exitcode") && !Strict.isInteger(request.get("exitcode"))) {
      throw Rejection.error(400, "exitcode must be an integer");
    }
    synchronized (run) {
      if (run.complete()) {
        throw Rejection.error(400, "run " + runName + " is complete; no more file_stream writes");
      }
      Map<String, TreeMap<Integer, String>> staged = new TreeMap<>();
      Object files = request.get("files");
      if (files != null) {
        Map<String, Object> byName = Strict.object(files, m -> Rejection.error(400, m), "files");
        for (Map.Entry<String, Object> entry : byName.entrySet()) {
          staged.put(entry.getKey(), stage(run, entry.getKey(), entry.getValue()));
        }
      }
      staged.forEach((name, lines) -> run.files.computeIfAbsent(name, n -> new TreeMap<>()).putAll(lines));
      run.fileStreamRequests++;
      if (run.stopAnswered) {
        run.requestsAfterStop++;
      }
      if (request.isEmpty() || (files == null && !complete)) {
        run.heartbeats++;
      }
      if (complete) {
        run.complete = true;
        run.exitCode = request.containsKey("exitcode") ? ((Number) request.get("exitcode")).longValue() : null;
      }
      if (run.stopRequested || server.stopsEveryRun()) {
        // The Stop button: the backend tells the writer in every answer (wandb-core reads it in startProcessingFeedback).
        run.stopAnswered = true;
        return "{\"exitcode\":null,\"limits\":{},\"stopped\":true}";
      }
    }
    return "{}";
  }

  private TreeMap<Integer, String> stage(RecordedRun run, String name, Object chunkValue) {
    if (!FILES.contains(name)) {
      throw Rejection.error(400, "unknown file " + name);
    }
    Map<String, Object> chunk = Strict.object(chunkValue, m -> Rejection.error(400, m), "files." + name);
    Strict.onlyKeys(chunk, Set.of("offset", "content"), key -> Rejection.error(400, "unknown key files." + name + "." + key));
    Object offsetValue = chunk.get("offset");
    if (!Strict.isInteger(offsetValue) || ((Number) offsetValue).longValue() < 0) {
      throw Rejection.error(400, "files." + name + ".offset must be a non-negative integer");
    }
    int offset = ((Number) offsetValue).intValue();
    List<Object> content = Strict.list(chunk.get("content"), m -> Rejection.error(400, m), "files." + name + ".content");
    int existing = run.lineCount(name);
    if (name.equals("wandb-summary.json")) {
      if (content.size() != 1 || offset > Math.max(0, existing - 1)) {
        throw Rejection.error(400, "the summary is one line, rewritten at its line number (" + Math.max(0, existing - 1)
            + "), got offset " + offset + " with " + content.size() + " line(s)");
      }
    } else if (offset > existing) {
      throw Rejection.error(400, "files." + name + ".offset " + offset + " leaves a gap after line " + existing);
    }
    TreeMap<Integer, String> staged = new TreeMap<>();
    Long previousStep = previousStep(run, name, offset);
    for (int i = 0; i < content.size(); i++) {
      if (!(content.get(i) instanceof String line)) {
        throw Rejection.error(400, "files." + name + ".content[" + i + "] must be a string");
      }
      if (line.getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
        throw Rejection.error(400, "files." + name + ".content[" + i + "] is longer than " + MAX_LINE_BYTES + " bytes");
      }
      if (!name.equals("output.log")) {
        Map<String, Object> row = parse(line.getBytes(StandardCharsets.UTF_8));
        if (name.equals("wandb-history.jsonl")) {
          previousStep = checkHistoryRow(row, previousStep);
        } else if (name.equals("wandb-events.jsonl") && !(row.get("_timestamp") instanceof Number)) {
          throw Rejection.error(400, "a system metrics row needs _timestamp");
        }
      }
      staged.put(offset + i, line);
    }
    return staged;
  }

  private static Long previousStep(RecordedRun run, String name, int offset) {
    if (!name.equals("wandb-history.jsonl") || offset == 0) {
      return null;
    }
    String line = run.files.get(name).get(offset - 1);
    return ((Number) RecordedRun.parse(line).get("_step")).longValue();
  }

  private static Long checkHistoryRow(Map<String, Object> row, Long previousStep) {
    if (!Strict.isInteger(row.get("_step")) || !(row.get("_runtime") instanceof Number)
        || !(row.get("_timestamp") instanceof Number)) {
      throw Rejection.error(400, "a history row needs an integer _step, _runtime and _timestamp: " + row.keySet());
    }
    long step = ((Number) row.get("_step")).longValue();
    if (previousStep != null && step <= previousStep) {
      throw Rejection.error(400, "_step " + step + " does not increase (previous " + previousStep + ")");
    }
    return step;
  }

  private static Map<String, Object> parse(byte[] body) {
    try {
      return Json.parseObject(new String(body, StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw Rejection.error(400, "not a JSON object: " + e.getMessage());
    }
  }
}
