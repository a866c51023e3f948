package ai.wandb.agent.testing.wandb;

import ai.wandb.agent.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the server holds about one run: the latest upserted fields and the file_stream files. */
public final class RecordedRun {
  final String entity;
  final String project;
  final String name;
  final String storageId;
  final Map<String, Object> lastUpsert = new TreeMap<>();
  final List<Map<String, Object>> upserts = new ArrayList<>();
  final Map<String, TreeMap<Integer, String>> files = new TreeMap<>();
  String displayName;
  String config;
  Boolean complete;
  Long exitCode;
  int fileStreamRequests;
  int heartbeats;
  boolean stopRequested;
  boolean stopAnswered;
  int requestsAfterStop;

  RecordedRun(String entity, String project, String name, String storageId) {
    this.entity = entity;
    this.project = project;
    this.name = name;
    this.storageId = storageId;
  }

  public synchronized String entity() {
    return entity;
  }

  public synchronized String project() {
    return project;
  }

  public synchronized String name() {
    return name;
  }

  public synchronized String displayName() {
    return displayName;
  }

  /** How many UpsertBucket calls named this run. */
  public synchronized int upsertCount() {
    return upserts.size();
  }

  /** The variables of every UpsertBucket call for this run, in order. */
  public synchronized List<Map<String, Object>> upserts() {
    return new ArrayList<>(upserts);
  }

  /** The latest config with the {@code {"value": v}} wrappers removed. */
  public synchronized Map<String, Object> config() {
    Map<String, Object> out = new TreeMap<>();
    for (Map.Entry<String, Object> entry : parse(config).entrySet()) {
      out.put(entry.getKey(), ((Map<?, ?>) entry.getValue()).get("value"));
    }
    return out;
  }

  public synchronized List<Map<String, Object>> history() {
    return lines("wandb-history.jsonl");
  }

  /**
   * How many history lines there are, without parsing them: for a test that polls while rows arrive
   * ({@link #history} parses every line under the lock the server records requests with).
   */
  public synchronized int historyCount() {
    return files.getOrDefault("wandb-history.jsonl", new TreeMap<>()).size();
  }

  /**
   * How many history rows hold each {@code trace_id} (the agent's exactly-once key): a row written
   * twice at one offset counts once, as the backend keeps one line per offset; a row at two offsets
   * counts twice.
   */
  public synchronized Map<String, Integer> historyRowsPerTrace() {
    Map<String, Integer> out = new TreeMap<>();
    for (Map<String, Object> row : history()) {
      Object traceId = row.get("trace_id");
      if (traceId != null) {
        out.merge(traceId.toString(), 1, Integer::sum);
      }
    }
    return out;
  }

  public synchronized List<Map<String, Object>> events() {
    return lines("wandb-events.jsonl");
  }

  /** The last line of {@code wandb-summary.json}, the one the backend reads. */
  public synchronized Map<String, Object> summary() {
    TreeMap<Integer, String> summary = files.get("wandb-summary.json");
    return summary == null || summary.isEmpty() ? Map.of() : parse(summary.lastEntry().getValue());
  }

  /** True once a file_stream request carried {@code complete: true}. */
  public synchronized boolean complete() {
    return Boolean.TRUE.equals(complete);
  }

  public synchronized Long exitCode() {
    return exitCode;
  }

  public synchronized int fileStreamRequests() {
    return fileStreamRequests;
  }

  /** Someone pressed the run's Stop button: file_stream answers {@code "stopped": true} from now on. */
  public synchronized void stop() {
    stopRequested = true;
  }

  /** file_stream requests that came after the server first answered {@code "stopped": true}. */
  public synchronized int requestsAfterStop() {
    return requestsAfterStop;
  }

  /** Whether a {@code "stopped": true} answer went out. */
  public synchronized boolean stopAnswered() {
    return stopAnswered;
  }

  /**
   * The standard System charts that {@code wandb-events.jsonl} fills, named by the keys wandb-core's
   * monitor writes ({@code system.cpu}, {@code system.proc.memory.rssMB}, ...; {@code disk.*} by pattern):
   * what the UI's System section draws. Other {@code system.*} keys are charted as custom ones only.
   */
  public synchronized java.util.Set<String> standardSystemCharts() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Map<String, Object> row : events()) {
      for (String key : row.keySet()) {
        if (STANDARD_SYSTEM.contains(key)) {
          out.add(key);
        } else if (key.matches("system\\.disk\\..+\\.(usagePercent|usageGB)")) {
          out.add("system.disk.<path>." + key.substring(key.lastIndexOf('.') + 1));
        } else if (key.matches("system\\.disk\\.[^.]+\\.(in|out)")) {
          out.add("system.disk.<device>." + key.substring(key.lastIndexOf('.') + 1));
        }
      }
    }
    return out;
  }

  static final java.util.Set<String> STANDARD_SYSTEM = java.util.Set.of("system.cpu", "system.proc.memory.rssMB",
      "system.proc.memory.percent", "system.memory_percent", "system.proc.cpu.threads", "system.network.sent",
      "system.network.recv");

  synchronized int lineCount(String file) {
    TreeMap<Integer, String> lines = files.get(file);
    return lines == null || lines.isEmpty() ? 0 : lines.lastKey() + 1;
  }

  private List<Map<String, Object>> lines(String file) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : files.getOrDefault(file, new TreeMap<>()).values()) {
      out.add(parse(line));
    }
    return out;
  }

  static Map<String, Object> parse(String json) {
    try {
      return Json.parseObject(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
