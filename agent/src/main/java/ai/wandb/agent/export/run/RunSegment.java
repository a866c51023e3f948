package ai.wandb.agent.export.run;

import ai.wandb.agent.export.spool.Spool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.ListIterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One segment of a run spool ({@code spool/run/<run-id>/}): history rows, then the run summary after
 * them. Each entry names its run ({@code {"entity","project","run",...}}; the entity is absent for
 * the key's default one). The sink's worker writes rows <em>pending</em> ({@code {..., "row"}}):
 * their {@code file_stream} offset is only known once the run exists. The one who sends them then
 * gives each pending row the next free offset, and {@code _step} equal to it, and rewrites the
 * segment before sending ({@code {..., "offset", "row"}}): a row that has an offset on disk keeps it
 * for good, which is what makes a resend land on the same line.
 */
final class RunSegment {
  static final String ENTITY = "entity";
  static final String PROJECT = "project";
  static final String RUN = "run";
  static final String OFFSET = "offset";
  static final String ROW = "row";
  static final String SUMMARY = "summary";
  static final String STEP = "_step";

  /** A history row with its offset. */
  static final class Row {
    final long offset;
    final Map<String, Object> values;
    /** Its {@code file_stream} line when {@link #assignOffsets} made it already; else null. */
    final String line;

    Row(long offset, Map<String, Object> values, String line) {
      this.offset = offset;
      this.values = values;
      this.line = line;
    }
  }

  final Path path;
  private final List<Map<String, Object>> entries;
  /**
   * The lines {@link #assignOffsets} wrote to check their size, by row: the stream sends the same text,
   * and writing each row twice was a third of the run sender's samples (JFR, the exporter benchmark).
   */
  private final Map<Object, String> lines = new IdentityHashMap<Object, String>();

  RunSegment(Path path, List<Map<String, Object>> entries) {
    this.path = path;
    this.entries = entries;
  }

  static RunSegment read(Path path) throws IOException {
    return new RunSegment(path, Spool.read(path));
  }

  /** A row as the worker spools it: its run, no offset, no {@code _step}. */
  static Map<String, Object> pendingRow(String entity, String project, String run, Map<String, Object> row) {
    Map<String, Object> entry = named(entity, project, run);
    entry.put(ROW, row);
    return entry;
  }

  static Map<String, Object> summary(String entity, String project, String run, Map<String, Object> summary) {
    Map<String, Object> entry = named(entity, project, run);
    entry.put(SUMMARY, summary);
    return entry;
  }

  private static Map<String, Object> named(String entity, String project, String run) {
    Map<String, Object> entry = new LinkedHashMap<String, Object>();
    if (entity != null) {
      entry.put(ENTITY, entity);
    }
    entry.put(PROJECT, project);
    entry.put(RUN, run);
    return entry;
  }

  /** The entries as they are now, for a rewrite. */
  List<Map<String, Object>> entries() {
    return entries;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The first entry, which names the run. */
  Map<String, Object> first() {
    return entries.get(0);
  }

  boolean hasPending() {
    for (Map<String, Object> entry : entries) {
      if (entry.get(ROW) != null && entry.get(OFFSET) == null) {
        return true;
      }
    }
    return false;
  }

  /** The rows that have an offset, in segment order. */
  List<Row> rows() {
    List<Row> rows = new ArrayList<Row>();
    for (Map<String, Object> entry : entries) {
      if (entry.get(ROW) != null && entry.get(OFFSET) != null) {
        Map<String, Object> row = map(entry.get(ROW));
        rows.add(new Row(((Number) entry.get(OFFSET)).longValue(), row, lines.get(row)));
      }
    }
    return rows;
  }

  /** The summary after this segment's rows, or null. */
  Map<String, Object> summary() {
    Map<String, Object> summary = null;
    for (Map<String, Object> entry : entries) {
      if (entry.get(SUMMARY) != null) {
        summary = map(entry.get(SUMMARY));
      }
    }
    return summary;
  }

  /**
   * Gives the pending rows the offsets from {@code next} on, in order, with {@code _step} equal to the
   * offset (so it keeps increasing in a resumed run), and names the run as it was resolved; the
   * summary takes the last row's {@code _step}. A row {@code file_stream} could not take (over
   * {@link FileStream#MAX_LINE_BYTES}) is dropped here, before it uses an offset. Returns the next
   * free offset. Only in memory: the caller rewrites the segment before sending any of it.
   */
  long assignOffsets(long next, String entity, String project, String run) {
    long last = -1;
    for (ListIterator<Map<String, Object>> it = entries.listIterator(); it.hasNext(); ) {
      Map<String, Object> entry = it.next();
      Map<String, Object> row = map(entry.get(ROW));
      Map<String, Object> renamed = named(entity != null ? entity : (String) entry.get(ENTITY), project, run);
      if (row != null && entry.get(OFFSET) == null) {
        row.put(STEP, next);
        String line = FileStream.line(row, FileStream.HISTORY);
        if (line == null) {
          it.remove();
          continue;
        }
        lines.put(row, line);
        renamed.put(OFFSET, next);
        last = next++;
      } else if (row != null) {
        last = ((Number) entry.get(OFFSET)).longValue();
      }
      for (Map.Entry<String, Object> field : entry.entrySet()) {
        if (!renamed.containsKey(field.getKey())) {
          renamed.put(field.getKey(), field.getValue());
        }
      }
      it.set(renamed);
    }
    Map<String, Object> summary = summary();
    if (summary != null && last >= 0) {
      summary.put(STEP, last);
    }
    return next;
  }

  /**
   * The first offset no row of {@code segments} holds and the server does not have
   * ({@code historyLineCount}): where pending rows go, after every row an earlier process gave an offset.
   */
  static long nextFreeOffset(List<RunSegment> segments, long historyLineCount) {
    long next = historyLineCount;
    for (RunSegment segment : segments) {
      for (Row row : segment.rows()) {
        next = Math.max(next, row.offset + 1);
      }
    }
    return next;
  }

  @SuppressWarnings("unchecked") // rows and summaries are JSON objects written by the run sink
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}
