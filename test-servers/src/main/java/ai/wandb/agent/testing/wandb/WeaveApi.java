package ai.wandb.agent.testing.wandb;

import ai.wandb.agent.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The trace server's write side: {@code /call/start}, {@code /call/end}, {@code /call/upsert_batch}
 * and the v2 {@code calls/complete} path. Envelopes are strict (an unknown key is a 422), the inner
 * call schemas check required fields, id formats, {@code op_name} and {@code display_name} limits,
 * and the body limit gives 413 as the real server does.
 */
final class WeaveApi {
  private static final Function<String, Rejection> UNPROCESSABLE = m -> Rejection.unprocessable("body", m);
  private static final Set<String> START_REQUIRED = Set.of("project_id", "op_name", "started_at", "attributes", "inputs");

  private final WandbTestServer server;

  WeaveApi(WandbTestServer server) {
    this.server = server;
  }

  String handle(String method, String path, byte[] body) {
    if (method.equals("GET") && path.equals("/server_info")) {
      return "{\"min_required_weave_python_version\":\"0.0.1\",\"trace_server_version\":\"fake\"}";
    }
    if (method.equals("GET") && path.equals("/health")) {
      return "{\"status\":\"ok\"}";
    }
    if (!method.equals("POST")) {
      throw Rejection.reason(405, "method not allowed");
    }
    if (body.length > server.weaveBodyLimit()) {
      throw Rejection.reason(413, "Request too large");
    }
    Map<String, Object> request = parse(body);
    switch (path) {
      case "/call/start" -> {
        return startResponse(start(envelope(request, "start"), true));
      }
      case "/call/end" -> {
        end(envelope(request, "end"), false);
        return "{}";
      }
      case "/call/upsert_batch" -> {
        return upsertBatch(request);
      }
      default -> {
        String[] parts = path.split("/");
        // /v2/{entity}/{project}/calls/complete | call/start | call/end
        if ((parts.length == 6 || parts.length == 5) && parts[1].equals("v2")) {
          String projectId = parts[2] + "/" + parts[3];
          String tail = parts.length == 5 ? parts[4] : parts[4] + "/" + parts[5];
          switch (tail) {
            case "calls/complete" -> {
              return complete(projectId, request);
            }
            case "call/start" -> {
              return startResponse(start(envelope(request, "start"), true));
            }
            case "call/end" -> {
              end(envelope(request, "end"), true);
              return "{}";
            }
            case "ops" -> {
              return createOp(projectId, request);
            }
            default -> { }
          }
        }
        throw Rejection.reason(404, "Not Found");
      }
    }
  }

  private String upsertBatch(Map<String, Object> request) {
    Strict.onlyKeys(request, Set.of("batch"), key -> Rejection.unprocessable("body." + key, "extra fields not permitted"));
    List<Object> batch = Strict.list(request.get("batch"), UNPROCESSABLE, "batch");
    if (server.callsCompleteRequired()) {
      throw new Rejection(400, "{\"error_code\":\"CALLS_COMPLETE_MODE_REQUIRED\",\"message\":"
          + "\"this project is written through calls/complete; upgrade the client\"}");
    }
    List<Runnable> apply = new ArrayList<>();
    List<String> responses = new ArrayList<>();
    for (Object item : batch) {
      Map<String, Object> entry = Strict.object(item, UNPROCESSABLE, "batch item");
      Strict.onlyKeys(entry, Set.of("mode", "req"), key -> Rejection.unprocessable("batch." + key, "extra fields not permitted"));
      Object mode = entry.get("mode");
      Map<String, Object> req = Strict.object(entry.get("req"), UNPROCESSABLE, "batch item req");
      if ("start".equals(mode)) {
        Map<String, Object> start = validateStart(envelope(req, "start"), false);
        responses.add(startResponse(start));
        apply.add(() -> record(start, null));
      } else if ("end".equals(mode)) {
        Map<String, Object> end = validateEnd(envelope(req, "end"), false);
        responses.add("{}");
        apply.add(() -> record(null, end));
      } else {
        throw Rejection.unprocessable("batch.mode", "mode must be start or end, got " + mode);
      }
    }
    apply.forEach(Runnable::run);
    server.countBatch("upsert_batch");
    return "{\"res\":[" + String.join(",", responses) + "]}";
  }

  private String complete(String projectId, Map<String, Object> request) {
    Strict.onlyKeys(request, Set.of("batch"), key -> Rejection.unprocessable("body." + key, "extra fields not permitted"));
    List<Object> batch = Strict.list(request.get("batch"), UNPROCESSABLE, "batch");
    List<Map<String, Object>> calls = new ArrayList<>();
    for (Object item : batch) {
      Map<String, Object> call = Strict.object(item, UNPROCESSABLE, "batch item");
      Map<String, Object> start = validateStart(call, false);
      if (!projectId.equals(start.get("project_id"))) {
        throw Rejection.reason(400, "project_id " + start.get("project_id") + " is not " + projectId);
      }
      Strict.requiredString(call, "trace_id", UNPROCESSABLE);
      calls.add(validateEnd(call, true));
    }
    for (Map<String, Object> call : calls) {
      record(call, call);
    }
    server.countBatch("calls_complete");
    return "{}";
  }

  /**
   * {@code POST /v2/{entity}/{project}/ops} ({@code OpCreateV2Body}: {@code name}, {@code source_code}):
   * the op object, content-addressed like the real server (the same source gives the same digest).
   */
  private String createOp(String projectId, Map<String, Object> request) {
    Strict.onlyKeys(request, Set.of("name", "source_code"), key -> Rejection.unprocessable("body." + key,
        "extra fields not permitted"));
    checkProject(projectId);
    String name = Strict.requiredString(request, "name", UNPROCESSABLE);
    if (!name.matches("[\\w._-]{1,128}")) {
      throw Rejection.reason(400, "invalid op name " + name + ": 1 to 128 of [A-Za-z0-9_.-]");
    }
    String source = Strict.optionalString(request, "source_code", UNPROCESSABLE);
    String digest = digest(name + "\n" + (source == null ? "" : source));
    synchronized (server) {
      server.ops.computeIfAbsent(projectId + "/" + name + ":" + digest, key -> new java.util.concurrent.atomic.AtomicInteger())
          .incrementAndGet();
    }
    return "{\"digest\":" + Strict.quote(digest) + ",\"object_id\":" + Strict.quote(name) + ",\"version_index\":0}";
  }

  /** The trace server's digest: SHA-256, URL-safe base64 with - as X and _ as Y, no padding (43 characters). */
  static String digest(String text) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hash).replace('-', 'X').replace('_', 'Y');
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Object> start(Map<String, Object> start, boolean generateIds) {
    Map<String, Object> valid = validateStart(start, generateIds);
    record(valid, null);
    return valid;
  }

  private void end(Map<String, Object> end, boolean withStartedAt) {
    record(null, validateEnd(end, withStartedAt));
  }

  private Map<String, Object> validateStart(Map<String, Object> start, boolean generateIds) {
    for (String key : START_REQUIRED) {
      if (!start.containsKey(key) || start.get(key) == null) {
        throw Rejection.unprocessable("start." + key, "field required");
      }
    }
    String projectId = Strict.requiredString(start, "project_id", UNPROCESSABLE);
    checkProject(projectId);
    String opName = Strict.requiredString(start, "op_name", UNPROCESSABLE);
    if (opName.startsWith("weave:///")) {
      if (!opName.matches("weave:///[^/]+/[^/]+/op/[^/:]+:[A-Za-z0-9]+")) {
        throw Rejection.reason(400, "op_name is not an op ref: " + opName);
      }
    } else if (opName.isEmpty() || opName.length() > 128) {
      throw Rejection.reason(400, "op_name must be 1 to 128 characters");
    }
    String displayName = Strict.optionalString(start, "display_name", UNPROCESSABLE);
    if (displayName != null && displayName.length() > 1024) {
      throw Rejection.reason(400, "display_name is longer than 1024 characters");
    }
    Strict.dateTime(start, "started_at", UNPROCESSABLE);
    Strict.object(start.get("attributes"), UNPROCESSABLE, "attributes");
    Strict.object(start.get("inputs"), UNPROCESSABLE, "inputs");
    Map<String, Object> out = new LinkedHashMap<>(start);
    if (out.get("id") == null || out.get("trace_id") == null) {
      if (!generateIds) {
        throw Rejection.reason(400, "a batched start needs id and trace_id");
      }
      String generated = UUID.randomUUID().toString();
      out.putIfAbsent("id", generated);
      out.replace("id", null, generated);
      out.putIfAbsent("trace_id", generated);
      out.replace("trace_id", null, generated);
    }
    checkCallId("id", Strict.requiredString(out, "id", UNPROCESSABLE));
    String traceId = Strict.requiredString(out, "trace_id", UNPROCESSABLE);
    if (!Strict.UUID.matcher(traceId).matches() && !Strict.HEX32.matcher(traceId).matches()) {
      throw Rejection.reason(400, "invalid trace id " + traceId);
    }
    String parentId = Strict.optionalString(out, "parent_id", UNPROCESSABLE);
    if (parentId != null) {
      checkCallId("parent_id", parentId);
    }
    for (String optional : List.of("thread_id", "turn_id", "wb_run_id", "wb_user_id")) {
      Strict.optionalString(out, optional, UNPROCESSABLE);
    }
    String runId = (String) out.get("wb_run_id");
    if (runId != null && runId.split("/", -1).length != 3) {
      throw Rejection.reason(400, "wb_run_id must be entity/project/run: " + runId);
    }
    Object step = out.get("wb_run_step");
    if (step != null && !Strict.isInteger(step)) {
      throw Rejection.unprocessable("start.wb_run_step", "must be an integer");
    }
    String turnId = (String) out.get("turn_id");
    if (turnId != null && out.get("thread_id") == null) {
      throw Rejection.reason(400, "turn_id without thread_id");
    }
    return out;
  }

  private Map<String, Object> validateEnd(Map<String, Object> end, boolean withStartedAt) {
    String projectId = Strict.requiredString(end, "project_id", m -> Rejection.unprocessable("end.project_id", m));
    checkProject(projectId);
    checkCallId("id", Strict.requiredString(end, "id", m -> Rejection.unprocessable("end.id", m)));
    Strict.dateTime(end, "ended_at", m -> Rejection.unprocessable("end.ended_at", m));
    if (withStartedAt) {
      Strict.dateTime(end, "started_at", m -> Rejection.unprocessable("end.started_at", m));
    }
    Object stepEnd = end.get("wb_run_step_end");
    if (stepEnd != null && !Strict.isInteger(stepEnd)) {
      throw Rejection.unprocessable("end.wb_run_step_end", "must be an integer");
    }
    if (end.get("summary") == null) {
      throw Rejection.unprocessable("end.summary", "field required");
    }
    Map<String, Object> summary = Strict.object(end.get("summary"), UNPROCESSABLE, "summary");
    Strict.optionalString(end, "exception", m -> Rejection.unprocessable("end.exception", m));
    if (summary.get("usage") != null) {
      for (Map.Entry<String, Object> model : Strict.object(summary.get("usage"), UNPROCESSABLE, "summary.usage").entrySet()) {
        Map<String, Object> usage = Strict.object(model.getValue(), UNPROCESSABLE, "summary.usage." + model.getKey());
        for (Map.Entry<String, Object> count : usage.entrySet()) {
          if (!count.getKey().endsWith("_details") && !Strict.isInteger(count.getValue())) {
            throw Rejection.unprocessable("summary.usage." + model.getKey() + "." + count.getKey(), "must be an integer");
          }
        }
      }
    }
    return new LinkedHashMap<>(end);
  }

  private void checkProject(String projectId) {
    int slash = projectId.indexOf('/');
    if (slash <= 0 || slash != projectId.lastIndexOf('/') || slash == projectId.length() - 1) {
      throw Rejection.reason(400, "project_id must be entity/project: " + projectId);
    }
    if (server.requireExistingProjects() && !server.hasProject(projectId)) {
      throw Rejection.reason(404, "Project " + projectId + " not found");
    }
  }

  private static void checkCallId(String field, String id) {
    if (!Strict.UUID.matcher(id).matches() && !Strict.HEX16.matcher(id).matches()) {
      throw Rejection.reason(400, "invalid " + field + " " + id + ": a lowercase UUID or 16 hex characters");
    }
  }

  private void record(Map<String, Object> start, Map<String, Object> end) {
    String id = (String) (start != null ? start : end).get("id");
    WeaveCall call;
    synchronized (server) {
      call = server.calls.computeIfAbsent(id, WeaveCall::new);
    }
    if (start != null) {
      call.start(start);
    }
    if (end != null) {
      call.end(end);
    }
  }

  private static String startResponse(Map<String, Object> start) {
    return "{\"id\":" + Strict.quote((String) start.get("id")) + ",\"trace_id\":"
        + Strict.quote((String) start.get("trace_id")) + "}";
  }

  private static Map<String, Object> envelope(Map<String, Object> request, String key) {
    Strict.onlyKeys(request, Set.of(key), extra -> Rejection.unprocessable("body." + extra, "extra fields not permitted"));
    return Strict.object(request.get(key), m -> Rejection.unprocessable("body." + key, m), key);
  }

  private static Map<String, Object> parse(byte[] body) {
    try {
      return Json.parseObject(new String(body, StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw Rejection.unprocessable("body", "JSON decode error: " + e.getMessage());
    }
  }
}
