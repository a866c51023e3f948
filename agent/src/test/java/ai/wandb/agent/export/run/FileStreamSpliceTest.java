package ai.wandb.agent.export.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.http.HttpResult;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.spool.Spool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run sender copies each spooled row's line into the file_stream body instead of parsing the
 * segment and writing every row again: the server must get the same bytes as when the body was written
 * as a tree of strings (each row's JSON text, {@code _step} last), whatever the rows hold and however the
 * spool came to hold them.
 */
class FileStreamSpliceTest {
  @TempDir Path dir;

  private final List<byte[]> bodies = new ArrayList<>();
  private final WandbHttp http = new WandbHttp((method, url, headers, body, timeout) -> {
    assertEquals("application/json", headers.get("Content-Type"));
    bodies.add(body);
    return new HttpResult(200, "{}", null);
  }, "k".repeat(40), "test", millis -> { }, 5000);

  @Test
  void spooledRowsReachTheBodyAsTheyWereWrittenAsATree() throws Exception {
    List<Map<String, Object>> rows = rows();
    Spool spool = new Spool(dir.resolve("run01"), 64L << 20);
    Path path = spool.appendLines(pending(rows));

    RunSegment segment = RunSegment.read(path);
    segment.assignOffsets(5, "alice", "p", "run01");
    assertTrue(spool.replaceSegment(path, segment.lines()));
    // A restart: the next JVM reads the rewritten segment, offsets and all.
    FileStream stream = stream(5, RunSegment.read(path));
    assertTrue(stream.flush());

    assertEquals(1, bodies.size());
    assertBody(oldBody(5, rows, summary(rows)), bodies.get(0));
  }

  @Test
  void severalSegmentsGoInOneRequestAtConsecutiveOffsets() throws Exception {
    List<Map<String, Object>> rows = rows();
    Spool spool = new Spool(dir.resolve("run01"), 64L << 20);
    RunSegment first = RunSegment.read(spool.appendLines(pending(rows.subList(0, 3))));
    RunSegment second = RunSegment.read(spool.appendLines(pending(rows.subList(3, rows.size()))));
    long next = first.assignOffsets(0, null, "p", "run01");
    second.assignOffsets(next, null, "p", "run01");

    FileStream stream = new FileStream(http, "http://127.0.0.1:1/files/e/p/run01/file_stream", 0, 1);
    for (RunSegment segment : List.of(first, second)) {
      for (RunSegment.Row row : segment.rows()) {
        stream.history(row.element);
      }
      stream.summary(segment.summary());
    }
    assertTrue(stream.flush());

    assertEquals(1, bodies.size());
    assertBody(oldBody(0, rows, summary(rows.subList(3, rows.size()))), bodies.get(0));
  }

  @Test
  void anEarlierVersionsSpoolReachesTheBodyAsItDidThen() throws Exception {
    List<Map<String, Object>> rows = rows();
    // As the sink wrote segments before: each row and the summary as objects; the first two rows already
    // had their offsets (and _step) written in by a sender that was stopped before it sent them.
    List<Map<String, Object>> entries = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("project", "p");
      entry.put("run", "run01");
      Map<String, Object> row = new LinkedHashMap<>(rows.get(i));
      if (i < 2) {
        entry.put("offset", 7L + i);
        row.put("_step", 7L + i);
      }
      entry.put("row", row);
      entries.add(entry);
    }
    Map<String, Object> summaryEntry = new LinkedHashMap<>();
    summaryEntry.put("project", "p");
    summaryEntry.put("run", "run01");
    summaryEntry.put("summary", summary(rows));
    entries.add(summaryEntry);
    Spool spool = new Spool(dir.resolve("run01"), 64L << 20);
    Path path = spool.appendSegment(entries);

    RunSegment segment = RunSegment.read(path);
    assertEquals(7 + rows.size(), segment.assignOffsets(9, null, "p", "run01"));
    assertTrue(spool.replaceSegment(path, segment.lines()));
    assertTrue(stream(7, RunSegment.read(path)).flush());

    assertBody(oldBody(7, rows, summary(rows)), bodies.get(0));
  }

  @Test
  void requestsStayWithinTheLimitAndTogetherCarryEveryRowOnceInOrder() throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      rows.add(row("t" + i, "é\"q\"\n".repeat(20_000)));
    }
    Spool spool = new Spool(dir.resolve("run01"), 256L << 20);
    RunSegment segment = RunSegment.read(spool.appendLines(pending(rows)));
    segment.assignOffsets(0, null, "p", "run01");
    assertTrue(stream(0, segment).flush());

    assertTrue(bodies.size() > 1, bodies.size() + " requests");
    List<Long> steps = new ArrayList<>();
    for (byte[] body : bodies) {
      assertTrue(body.length <= FileStream.MAX_REQUEST_BYTES, body.length + " bytes");
      Map<?, ?> files = (Map<?, ?>) Json.parseObject(body).get("files");
      Map<?, ?> history = (Map<?, ?>) files.get(FileStream.HISTORY);
      if (history == null) {
        continue;
      }
      List<?> content = (List<?>) history.get("content");
      assertEquals((long) steps.size(), ((Number) history.get("offset")).longValue());
      for (Object line : content) {
        steps.add(((Number) Json.parseObject((String) line).get("_step")).longValue());
      }
    }
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < rows.size(); i++) {
      expected.add(i);
    }
    assertEquals(expected, steps);
  }

  @Test
  void theElementWriterEscapesAndEncodesAsTheJsonWriterAndStringGetBytesDo() throws Exception {
    StringBuilder all = new StringBuilder();
    for (int c = 0; c <= 0xFFFF; c++) {
      all.append((char) c);
    }
    String text = all + " pair \uD83D\uDE00, two lone highs \uD800\uD801a, lone high at the end \uD800";
    int split = text.indexOf("\uDE00"); // a pair cut between two writes
    FileStream.ElementWriter out = new FileStream.ElementWriter();
    out.write(text, 0, split);
    out.write(text.toCharArray(), split, text.length() - split - 1);
    out.write(text.charAt(text.length() - 1));

    assertBody(Json.write(text).getBytes(StandardCharsets.UTF_8), out.element());
    assertEquals(text.getBytes(StandardCharsets.UTF_8).length, out.lineBytes);
  }

  @Test
  void aRowWithNothingButItsStepIsStillAnObject() {
    assertEquals("\"{\\\"_step\\\":3}\"", new String(FileStream.withStep(FileStream.element(Map.of(), "x"), 3),
        StandardCharsets.UTF_8));
  }

  /** Rows with what a trace can hold: text in every script, control characters, escapes, a large prompt. */
  private static List<Map<String, Object>> rows() {
    StringBuilder everyChar = new StringBuilder();
    for (char c = 0; c < 0xD800; c++) {
      everyChar.append(c);
    }
    for (char c = 0xE000; c != 0; c++) {
      everyChar.append(c);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(row("t0", "plain"));
    rows.add(row("t1", "héllo 中文 русский 😀 \u2028\u2029 \u007f"));
    rows.add(row("t2", "\u0000\u0001\b\t\n\f\r\u001f \"quoted\" back\\slash /slash"));
    rows.add(row("t3", "lone \uD800 high, lone \uDC00 low, pair \uD83D\uDE00"));
    rows.add(row("t4", everyChar.toString()));
    rows.add(row("t5", "x".repeat(1 << 20)));
    Map<String, Object> trace = new LinkedHashMap<>();
    trace.put("_type", "wb_trace_tree");
    trace.put("root_span_dumps", Json.write(Map.of("inputs", Map.of("prompt", "say \"hi\"\n\\n 😀"))));
    Map<String, Object> nested = row("t6", "nested");
    nested.put("trace", trace);
    nested.put("cost/usd", 0.000123);
    nested.put("latency_ms", 1.0E-7);
    nested.put("spans", List.of(1, 2.5, true, false));
    nested.put("none", null);
    rows.add(nested);
    return rows;
  }

  private static Map<String, Object> row(String traceId, String text) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("trace_id", traceId);
    row.put("name", text);
    row.put("usage/total_tokens", 34L);
    row.put("_runtime", 1.84);
    row.put("_timestamp", 1718000001.2);
    return row;
  }

  private static Map<String, Object> summary(List<Map<String, Object>> rows) {
    Map<String, Object> summary = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      summary.putAll(row);
    }
    summary.put("total/traces", (long) rows.size());
    return summary;
  }

  /** The rows as the worker spools them, then the summary. */
  private static List<byte[]> pending(List<Map<String, Object>> rows) {
    List<byte[]> lines = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      lines.add(RunSegment.pendingRow(null, "p", "run01", row));
    }
    lines.add(RunSegment.summary(null, "p", "run01", summary(rows)));
    return lines;
  }

  private FileStream stream(long offset, RunSegment segment) {
    FileStream stream = new FileStream(http, "http://127.0.0.1:1/files/e/p/run01/file_stream", offset, 1);
    for (RunSegment.Row row : segment.rows()) {
      stream.history(row.element);
    }
    stream.summary(segment.summary());
    return stream;
  }

  /** The body as the sender wrote it before: a tree whose lines are the rows' JSON text with {@code _step} last. */
  private static byte[] oldBody(long offset, List<Map<String, Object>> rows, Map<String, Object> summary) {
    List<Object> content = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> row = new LinkedHashMap<>(rows.get(i));
      row.put("_step", offset + i);
      content.add(Json.write(row));
    }
    Map<String, Object> history = new LinkedHashMap<>();
    history.put("offset", offset);
    history.put("content", content);
    Map<String, Object> stepped = new LinkedHashMap<>(summary);
    stepped.put("_step", offset + rows.size() - 1);
    Map<String, Object> summaryChunk = new LinkedHashMap<>();
    summaryChunk.put("offset", 0);
    summaryChunk.put("content", List.of(Json.write(stepped)));
    Map<String, Object> files = new LinkedHashMap<>();
    files.put(FileStream.HISTORY, history);
    files.put(FileStream.SUMMARY, summaryChunk);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("files", files);
    return Json.write(body).getBytes(StandardCharsets.UTF_8);
  }

  private static void assertBody(byte[] expected, byte[] actual) {
    if (!Arrays.equals(expected, actual)) {
      int at = Arrays.mismatch(expected, actual);
      String near = new String(expected, Math.max(0, at - 40), Math.min(80, expected.length - Math.max(0, at - 40)),
          StandardCharsets.UTF_8);
      assertArrayEquals(expected, actual, "bodies differ at byte " + at + " of " + expected.length + ", near: " + near);
    }
  }
}
