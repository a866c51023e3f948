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
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends what a run sink spooled and W&B had not taken: one directory per run
 * ({@code spool/run/<run-id>/}) of {@link RunSegment}s. The run is resumed with {@code UpsertBucket} on
 * its id (no config, so the run keeps its own). Rows that have an offset keep it: those below the
 * run's {@code historyLineCount} are already on the server and skipped, the others are written at
 * their own offsets. Pending rows (their JVM ended before it could send them) first get the offsets
 * after all of those, and their segments are rewritten with them before anything is sent. A row
 * therefore lands once per offset, however often a replay is interrupted and repeated. Used by the
 * run sink (at start, for earlier JVMs' directories; when its run exists, for its own) and by
 * {@code sync}; the caller holds the directory's lock.
 */
public final class RunReplay {
  /** What one replay did. */
  public static final class Result {
    /** Rows written by this replay. */
    public final long rows;
    /** The run's next free history offset after the replay; -1 when the spool was empty. */
    public final long nextOffset;
    /** Why segments were left on disk, or null when none were. */
    public final String problem;
    /** The run was stopped from the W&B UI: its rows were let go and nothing more goes to it. */
    public final boolean stopped;

    Result(long rows, long nextOffset, String problem) {
      this(rows, nextOffset, problem, false);
    }

    Result(long rows, long nextOffset, String problem, boolean stopped) {
      this.rows = rows;
      this.nextOffset = nextOffset;
      this.problem = problem;
      this.stopped = stopped;
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

  /** Replays one run's directory into the run its entries name, resumed; deletes the segments once all of them went. */
  public static Result replay(WandbSession session, Spool spool, int attempts) {
    List<RunSegment> segments = new ArrayList<RunSegment>();
    String problem = read(spool, segments);
    if (problem != null || segments.isEmpty()) {
      return new Result(0, -1, problem);
    }
    Map<String, Object> first = segments.get(0).first();
    String runId = (String) first.get(RunSegment.RUN);
    Bucket bucket;
    try {
      Map<String, Object> variables = new LinkedHashMap<String, Object>();
      variables.put("name", runId);
      variables.put("project", first.get(RunSegment.PROJECT));
      variables.put("entity", first.get(RunSegment.ENTITY));
      bucket = session.graphql().upsertBucket(variables);
    } catch (IOException e) {
      return new Result(0, -1, "resuming the W&B run " + runId + ": " + e.getMessage());
    }
    String entity = bucket.entity() != null ? bucket.entity() : (String) first.get(RunSegment.ENTITY);
    String project = bucket.project() != null ? bucket.project() : (String) first.get(RunSegment.PROJECT);
    return send(session, spool, segments, entity, project, runId, bucket.historyLineCount(), attempts);
  }

  /** Replays the run sink's own directory into its run, which exists and holds {@code historyLineCount} rows. */
  static Result replayInto(WandbSession session, Spool spool, String entity, String project, String runId,
      long historyLineCount, int attempts) {
    List<RunSegment> segments = new ArrayList<RunSegment>();
    String problem = read(spool, segments);
    if (problem != null || segments.isEmpty()) {
      return new Result(0, -1, problem);
    }
    return send(session, spool, segments, entity, project, runId, historyLineCount, attempts);
  }

  /** Reads the directory's segments, oldest first, deleting empty ones; returns the problem, or null. */
  private static String read(Spool spool, List<RunSegment> out) {
    for (Path path : spool.segments()) {
      RunSegment segment;
      try {
        segment = RunSegment.read(path);
      } catch (NoSuchFileException gone) {
        continue; // dropped for room since the listing
      } catch (IOException e) {
        return "reading " + path + ": " + e;
      }
      if (segment.isEmpty()) {
        spool.delete(path);
      } else {
        out.add(segment);
      }
    }
    return null;
  }

  private static Result send(WandbSession session, Spool spool, List<RunSegment> segments, String entity,
      String project, String runId, long onServer, int attempts) {
    long next = RunSegment.nextFreeOffset(segments, onServer);
    for (RunSegment segment : segments) {
      if (segment.hasPending()) {
        next = segment.assignOffsets(next, entity, project, runId);
        if (!spool.replaceSegment(segment.path, segment.lines())) {
          return new Result(0, -1, "could not write the offsets of the pending rows into " + segment.path);
        }
      }
    }
    String url = WandbUrls.fileStreamUrl(session.apiUrl(), entity, project, runId);
    long rows = 0;
    FileStream stream = null;
    byte[] summary = null;
    for (RunSegment segment : segments) {
      for (RunSegment.Row row : segment.rows()) {
        if (row.offset < onServer) {
          continue;
        }
        if (stream == null || row.offset != stream.nextHistoryOffset()) {
          if (stream != null && !stream.flush()) {
            return failed(spool, segments, stream, rows, runId);
          }
          stream = new FileStream(session.http(), url, row.offset, attempts);
        }
        stream.history(row.element);
        rows++;
      }
      byte[] last = segment.summary();
      if (last != null) {
        summary = last;
      }
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
  private static Result failed(Spool spool, List<RunSegment> segments, FileStream stream, long rows, String runId) {
    if (stream.stopped()) {
      deleteAll(spool, segments);
      return new Result(rows, -1, null, true);
    }
    if (stream.dead()) {
      deleteAll(spool, segments);
      AgentLog.warn("W&B refused the spooled history of run " + runId + "; dropped it from " + spool.dir());
      return new Result(rows, -1, null);
    }
    return new Result(0, -1, "W&B did not take the history of run " + runId);
  }

  private static void deleteAll(Spool spool, List<RunSegment> segments) {
    for (RunSegment segment : segments) {
      spool.delete(segment.path);
    }
  }

  static void close(Closeable lock) {
    try {
      lock.close();
    } catch (IOException e) {
      AgentLog.debug("releasing a spool lock: " + e);
    }
  }
}
