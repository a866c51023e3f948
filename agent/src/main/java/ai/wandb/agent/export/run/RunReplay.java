package ai.wandb.agent.export.run;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.Bucket;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.export.wandb.WandbUrls;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends what a run sink spooled and W&B had not taken: one directory per run
 * ({@code spool/run/<run-id>/}), whose entries are history rows at the {@code file_stream} offsets
 * they were given ({@code {"entity","project","run","offset","row"}}) and, last in each segment, the
 * summary after them ({@code {..., "summary"}}). The run is resumed with {@code UpsertBucket} on its
 * id (no config, so the run keeps its own); rows below its {@code historyLineCount} are already on the
 * server and skipped, the others are written at their own offsets. A row therefore lands once per
 * offset, however often a replay is interrupted and repeated. Used by the run sink at start and by
 * {@code sync}; the caller holds the directory's lock.
 */
public final class RunReplay {
  static final String ENTITY = "entity";
  static final String PROJECT = "project";
  static final String RUN = "run";
  static final String OFFSET = "offset";
  static final String ROW = "row";
  static final String SUMMARY = "summary";

  /** What one replay did. */
  public static final class Result {
    /** Rows written by this replay. */
    public final long rows;
    /** The run's next history offset after the replay; -1 when the spool was empty. */
    public final long nextOffset;
    /** Why segments were left on disk, or null when none were. */
    public final String problem;

    Result(long rows, long nextOffset, String problem) {
      this.rows = rows;
      this.nextOffset = nextOffset;
      this.problem = problem;
    }
  }

  private RunReplay() {}

  /** The run directories under {@code root}, in name order. */
  public static List<Path> runDirs(Path root) {
    List<Path> out = new ArrayList<Path>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir)) {
          out.add(dir);
        }
      }
    } catch (IOException e) {
      AgentLog.debug("listing the run spool " + root + ": " + e);
    }
    Collections.sort(out);
    return out;
  }

  /**
   * Replays every run directory under {@code root} except {@code skip} whose lock is free (its writer
   * has ended), removing each once sent.
   */
  public static Result replayLeftovers(WandbSession session, Path root, String skip, long maxBytes, int attempts) {
    long rows = 0;
    String problem = null;
    for (Path dir : runDirs(root)) {
      if (dir.getFileName().toString().equals(skip)) {
        continue;
      }
      Spool spool = new Spool(dir, maxBytes);
      Closeable lock = spool.tryLock();
      if (lock == null) {
        continue;
      }
      try {
        Result result = replay(session, spool, attempts);
        rows += result.rows;
        if (result.problem != null) {
          problem = result.problem;
        }
        spool.deleteIfEmpty();
      } finally {
        close(lock);
      }
    }
    return new Result(rows, -1, problem);
  }

  /** Replays one run's directory, oldest segment first; deletes the segments once all of them went. */
  public static Result replay(WandbSession session, Spool spool, int attempts) {
    List<Path> segments = spool.segments();
    List<Map<String, Object>> entries = new ArrayList<Map<String, Object>>();
    for (Path segment : segments) {
      try {
        entries.addAll(Spool.read(segment));
      } catch (IOException e) {
        return new Result(0, -1, "reading " + segment + ": " + e);
      }
    }
    if (entries.isEmpty()) {
      deleteAll(spool, segments);
      return new Result(0, -1, null);
    }
    Map<String, Object> first = entries.get(0);
    String runId = (String) first.get(RUN);
    Bucket bucket;
    try {
      Map<String, Object> variables = new LinkedHashMap<String, Object>();
      variables.put("name", runId);
      variables.put("project", first.get(PROJECT));
      variables.put("entity", first.get(ENTITY));
      bucket = session.graphql().upsertBucket(variables);
    } catch (IOException e) {
      return new Result(0, -1, "resuming the W&B run " + runId + ": " + e.getMessage());
    }
    String url = WandbUrls.fileStreamUrl(session.apiUrl(), bucket.entity() != null ? bucket.entity() : (String) first.get(ENTITY),
        bucket.project() != null ? bucket.project() : (String) first.get(PROJECT), runId);
    long onServer = bucket.historyLineCount();
    long next = onServer;
    long rows = 0;
    FileStream stream = null;
    Map<String, Object> summary = null;
    for (Map<String, Object> entry : entries) {
      if (entry.get(SUMMARY) != null) {
        summary = map(entry.get(SUMMARY));
        continue;
      }
      long offset = ((Number) entry.get(OFFSET)).longValue();
      if (offset < onServer) {
        continue;
      }
      if (stream == null || offset != stream.nextHistoryOffset()) {
        if (stream != null && !stream.flush()) {
          return failed(spool, segments, stream, rows, runId);
        }
        stream = new FileStream(session.http(), url, offset, attempts);
      }
      stream.history(map(entry.get(ROW)));
      rows++;
      next = Math.max(next, offset + 1);
    }
    if (summary != null) {
      if (stream == null) {
        stream = new FileStream(session.http(), url, onServer, attempts);
      }
      stream.summary(summary);
    }
    if (stream != null && !stream.flush()) {
      return failed(spool, segments, stream, rows, runId);
    }
    deleteAll(spool, segments);
    return new Result(rows, next, null);
  }

  /** Keeps the segments for a later try, unless W&B refused them for good (then they are dropped, said once). */
  private static Result failed(Spool spool, List<Path> segments, FileStream stream, long rows, String runId) {
    if (stream.dead()) {
      deleteAll(spool, segments);
      AgentLog.warn("W&B refused the spooled history of run " + runId + "; dropped it from " + spool.dir());
      return new Result(rows, -1, null);
    }
    return new Result(0, -1, "W&B did not take the history of run " + runId);
  }

  private static void deleteAll(Spool spool, List<Path> segments) {
    for (Path segment : segments) {
      spool.delete(segment);
    }
  }

  @SuppressWarnings("unchecked") // rows and summaries are JSON objects written by RunSink
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  static void close(Closeable lock) {
    try {
      lock.close();
    } catch (IOException e) {
      AgentLog.debug("releasing a spool lock: " + e);
    }
  }
}
