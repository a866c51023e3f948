package ai.wandb.agent.export.run;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.JsonBytes;
import ai.wandb.agent.export.spool.Spool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;

/**
 * One segment of a run spool ({@code spool/run/<run-id>/}): history rows, then the run summary after
 * them. Each entry names its run ({@code {"entity","project","run",...}}; the entity is absent for
 * the default one). Rows are spooled <em>pending</em> ({@code {..., "row_json"}}): their
 * {@code file_stream} offset is only known once the run exists. The one who sends them then gives
 * each pending row the next free offset, and {@code _step} equal to it, and rewrites the segment
 * before sending ({@code {..., "offset", "row_json"}}): a row that has an offset on disk keeps it for
 * good, which is what makes a resend land on the same line.
 *
 * <p>{@code row_json} and {@code summary_json} hold the row's and the summary's {@code file_stream}
 * line without {@code _step}, as the JSON string it is in a request ({@link FileStream#element}), last
 * in the entry: the sender reads the names before it and copies the string's bytes into the request,
 * with {@code _step} added from the offset ({@link FileStream#withStep}), where it parsed each row,
 * wrote it again and escaped it again. Entries of earlier versions hold the objects ({@code "row"},
 * {@code "summary"}, with {@code _step} once given); they are read into the same form.
 */
final class RunSegment {
  static final String ENTITY = "entity";
  static final String PROJECT = "project";
  static final String RUN = "run";
  static final String OFFSET = "offset";
  static final String ROW_JSON = "row_json";
  static final String SUMMARY_JSON = "summary_json";
  /** Earlier versions' entries: the row or the summary as an object. */
  static final String ROW = "row";
  static final String SUMMARY = "summary";
  static final String STEP = "_step";
  private static final byte[] ROW_KEY = JsonBytes.ascii(",\"" + ROW_JSON + "\":");
  private static final byte[] SUMMARY_KEY = JsonBytes.ascii(",\"" + SUMMARY_JSON + "\":");

  /** A history row with its offset and its {@code file_stream} line as a content element, {@code _step} included. */
  static final class Row {
    final long offset;
    final byte[] element;

    Row(long offset, byte[] element) {
      this.offset = offset;
      this.element = element;
    }
  }

  /** A row or a summary: the names before it, and its line as a content element without {@code _step}. */
  private static final class Entry {
    final Map<String, Object> names;
    final String kind;
    final byte[] element;

    Entry(Map<String, Object> names, String kind, byte[] element) {
      this.names = names;
      this.kind = kind;
      this.element = element;
    }

    boolean row() {
      return kind.equals(ROW_JSON);
    }

    Long offset() {
      Object offset = names.get(OFFSET);
      return offset instanceof Number ? ((Number) offset).longValue() : null;
    }
  }

  final Path path;
  private final List<Entry> entries;

  private RunSegment(Path path, List<Entry> entries) {
    this.path = path;
    this.entries = entries;
  }

  /** The segment's rows and summaries; a line that is neither (nor readable) is left out. */
  static RunSegment read(Path path) throws IOException {
    List<Entry> entries = new ArrayList<Entry>();
    for (byte[] line : Spool.readLines(path)) {
      Entry entry = spliced(line, ROW_KEY, ROW_JSON);
      if (entry == null) {
        entry = spliced(line, SUMMARY_KEY, SUMMARY_JSON);
      }
      if (entry == null) {
        entry = parsed(path, line);
      }
      if (entry != null) {
        entries.add(entry);
      }
    }
    return new RunSegment(path, entries);
  }

  /** A row as the worker spools it: its run, no offset, no {@code _step}; null when W&B would refuse its line. */
  static byte[] pendingRow(String entity, String project, String run, Map<String, Object> row) {
    byte[] element = FileStream.element(row, FileStream.HISTORY);
    return element == null ? null : line(named(entity, project, run), ROW_JSON, element);
  }

  /** The summary after a segment's rows; null when W&B would refuse its line. */
  static byte[] summary(String entity, String project, String run, Map<String, Object> summary) {
    byte[] element = FileStream.element(summary, FileStream.SUMMARY);
    return element == null ? null : line(named(entity, project, run), SUMMARY_JSON, element);
  }

  private static Map<String, Object> named(String entity, String project, String run) {
    Map<String, Object> names = new LinkedHashMap<String, Object>();
    if (entity != null) {
      names.put(ENTITY, entity);
    }
    names.put(PROJECT, project);
    names.put(RUN, run);
    return names;
  }

  /** {@code {<names>,"<kind>":<element>}}. */
  private static byte[] line(Map<String, Object> names, String kind, byte[] element) {
    byte[] head = Json.write(names).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + kind.length() + element.length + 8);
    out.write(head, 0, head.length - 1);
    byte[] key = JsonBytes.ascii(",\"" + kind + "\":");
    out.write(key, 0, key.length);
    out.write(element, 0, element.length);
    out.write('}');
    return out.toByteArray();
  }

  /**
   * A line {@code {<names>,"<kind>":"<text of an object>"}}, the names read and the string kept as it
   * is; null when the line is not of that shape. The key found first is the entry's own: inside a string
   * a quote is escaped, so {@code ,"row_json":} can only be the key.
   */
  private static Entry spliced(byte[] line, byte[] key, String kind) {
    int at = JsonBytes.indexOf(line, key);
    int from = at + key.length;
    int last = line.length - 1;
    if (at < 1 || from + 4 > last || line[last] != '}' || line[from] != '"' || line[from + 1] != '{'
        || line[last - 2] != '}' || stringEnd(line, from + 1) != last - 1) {
      return null;
    }
    byte[] head = Arrays.copyOf(line, at + 1);
    head[at] = '}';
    Map<String, Object> names;
    try {
      names = Json.parseObject(head, 0, head.length);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return new Entry(names, kind, Arrays.copyOfRange(line, from, last));
  }

  /**
   * An earlier version's entry, {@code {<names>[,"offset"],"row":{...}}} or {@code "summary":{...}}, in
   * this version's form: the object's line without the {@code _step} it was given (last, from the
   * offset), to be added back from the offset. Null for a line that does not parse or is neither, and
   * for a row W&B would refuse (dropped here, as it was before it took an offset).
   */
  @SuppressWarnings("unchecked") // rows and summaries are JSON objects written by the run sink
  private static Entry parsed(Path path, byte[] line) {
    Map<String, Object> entry;
    try {
      entry = Json.parseObject(line, 0, line.length);
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("skipping an unreadable line in " + path + ": " + e);
      return null;
    }
    Object row = entry.remove(ROW);
    Object summary = entry.remove(SUMMARY);
    Object value = row != null ? row : summary;
    if (!(value instanceof Map)) {
      return null;
    }
    Map<String, Object> object = (Map<String, Object>) value;
    object.remove(STEP);
    byte[] element = FileStream.element(object, row != null ? FileStream.HISTORY : FileStream.SUMMARY);
    return element == null ? null : new Entry(entry, row != null ? ROW_JSON : SUMMARY_JSON, element);
  }

  /** The entries as they are now, one line each, for a rewrite. */
  List<byte[]> lines() {
    List<byte[]> lines = new ArrayList<byte[]>();
    for (Entry entry : entries) {
      lines.add(line(entry.names, entry.kind, entry.element));
    }
    return lines;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The names of the first entry's run. */
  Map<String, Object> first() {
    return entries.get(0).names;
  }

  boolean hasPending() {
    for (Entry entry : entries) {
      if (entry.row() && entry.offset() == null) {
        return true;
      }
    }
    return false;
  }

  /** The rows that have an offset, in segment order. */
  List<Row> rows() {
    List<Row> rows = new ArrayList<Row>();
    for (Entry entry : entries) {
      Long offset = entry.offset();
      if (entry.row() && offset != null) {
        rows.add(new Row(offset, FileStream.withStep(entry.element, offset)));
      }
    }
    return rows;
  }

  /**
   * The summary after this segment's rows as a content element, or null: with {@code _step} the last
   * row's, when the segment has a row with an offset.
   */
  byte[] summary() {
    byte[] summary = null;
    Long last = null;
    for (Entry entry : entries) {
      if (entry.row()) {
        last = entry.offset() != null ? entry.offset() : last;
      } else {
        summary = entry.element;
      }
    }
    return summary == null || last == null ? summary : FileStream.withStep(summary, last);
  }

  /**
   * Gives the pending rows the offsets from {@code next} on, in order ({@code _step} is the offset, so it
   * keeps increasing in a resumed run), and names the run as it was resolved. Returns the next free
   * offset. Only in memory: the caller rewrites the segment before sending any of it.
   */
  long assignOffsets(long next, String entity, String project, String run) {
    for (ListIterator<Entry> it = entries.listIterator(); it.hasNext(); ) {
      Entry entry = it.next();
      Map<String, Object> renamed = named(entity != null ? entity : (String) entry.names.get(ENTITY), project, run);
      if (entry.row() && entry.offset() == null) {
        renamed.put(OFFSET, next++);
      }
      for (Map.Entry<String, Object> field : entry.names.entrySet()) {
        if (!renamed.containsKey(field.getKey())) {
          renamed.put(field.getKey(), field.getValue());
        }
      }
      it.set(new Entry(renamed, entry.kind, entry.element));
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
      for (Entry entry : segment.entries) {
        if (entry.row() && entry.offset() != null) {
          next = Math.max(next, entry.offset() + 1);
        }
      }
    }
    return next;
  }

  /** The index of the closing quote of the string whose content starts at {@code from}; -1 if none. */
  private static int stringEnd(byte[] line, int from) {
    for (int i = from; i < line.length; i++) {
      if (line[i] == '\\') {
        i++;
      } else if (line[i] == '"') {
        return i;
      }
    }
    return -1;
  }
}
