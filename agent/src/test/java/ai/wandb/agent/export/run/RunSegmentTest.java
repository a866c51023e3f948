package ai.wandb.agent.export.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.spool.Spool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offsets of pending rows: given once, in order, after every row that has one, and kept on disk for good. */
class RunSegmentTest {
  @TempDir
  Path dir;

  private Spool spool;

  @BeforeEach
  void createSpool() {
    spool = new Spool(dir.resolve("run01"), 1 << 20);
  }

  @Test
  void pendingRowsTakeTheNextOffsetsInOrderWithTheStepEqualToTheOffset() throws Exception {
    RunSegment segment = pending("t1", "t2");
    assertTrue(segment.hasPending());
    assertTrue(segment.rows().isEmpty(), "no offset before the run exists");

    assertEquals(9, segment.assignOffsets(7, "alice", "p", "run01"));

    assertFalse(segment.hasPending());
    assertEquals(List.of(7L, 8L), offsets(segment));
    assertEquals(List.of("t1", "t2"), traceIds(segment));
    assertEquals(List.of(7L, 8L), segment.rows().stream().map(row -> ((Number) values(row.element).get("_step")).longValue())
        .collect(Collectors.toList()));
    assertEquals(8L, ((Number) values(segment.summary()).get("_step")).longValue(), "the summary follows the last row");
    assertTrue(segment.lines().stream().allMatch(line -> "alice".equals(entry(line).get("entity"))),
        "the run is named as it was resolved");
    assertEquals(1.5, values(segment.rows().get(0).element).get("_runtime"), "the trace-time fields stay as spooled");
  }

  @Test
  void aRewrittenSegmentKeepsItsOffsetsWhateverComesNext() throws Exception {
    RunSegment segment = pending("t1", "t2");
    segment.assignOffsets(3, null, "p", "run01");
    assertTrue(spool.replaceSegment(segment.path, segment.lines()));

    RunSegment reread = RunSegment.read(segment.path);
    assertFalse(reread.hasPending());
    assertEquals(List.of(3L, 4L), offsets(reread));
    assertEquals(List.of(segment.path), spool.segments(), "rewritten in place");

    assertEquals(50, reread.assignOffsets(50, "bob", "p", "run01"), "nothing pending takes an offset");
    assertEquals(List.of(3L, 4L), offsets(reread));
    assertEquals(List.of(3L, 4L), offsets(RunSegment.read(segment.path)));
  }

  @Test
  void aRowTooLongForFileStreamIsNotSpooled() {
    Map<String, Object> huge = row("big");
    huge.put("text", "x".repeat(FileStream.MAX_LINE_BYTES));

    assertNull(RunSegment.pendingRow(null, "p", "run01", huge));
  }

  @Test
  void aRowTooLongForFileStreamInAnEarlierVersionsSpoolIsDroppedBeforeItTakesAnOffset() throws Exception {
    Map<String, Object> huge = row("big");
    huge.put("text", "x".repeat(FileStream.MAX_LINE_BYTES));
    Path path = spool.appendSegment(List.of(
        Map.of("project", "p", "run", "run01", "row", row("t1")),
        Map.of("project", "p", "run", "run01", "row", huge),
        Map.of("project", "p", "run", "run01", "row", row("t3")),
        Map.of("project", "p", "run", "run01", "summary", Map.of("total/traces", 3))));
    RunSegment segment = RunSegment.read(path);

    assertEquals(2, segment.assignOffsets(0, null, "p", "run01"));

    assertEquals(List.of(0L, 1L), offsets(segment));
    assertEquals(List.of("t1", "t3"), traceIds(segment));
  }

  @Test
  void pendingRowsGoAfterEveryRowWithAnOffsetAndAfterWhatTheServerHas() throws Exception {
    RunSegment earlier = pending("a", "b", "c");
    earlier.assignOffsets(4, null, "p", "run01");
    RunSegment later = pending("d");

    assertEquals(7, RunSegment.nextFreeOffset(List.of(earlier, later), 2));
    assertEquals(9, RunSegment.nextFreeOffset(List.of(earlier, later), 9));
    assertEquals(0, RunSegment.nextFreeOffset(List.of(later), 0));
  }

  @Test
  void aSummaryWithoutRowsKeepsItsFields() throws Exception {
    RunSegment segment = segment(List.of(RunSegment.summary(null, "p", "run01",
        new LinkedHashMap<>(Map.of("total/traces", 1)))));

    assertEquals(5, segment.assignOffsets(5, null, "p", "run01"));

    assertNull(values(segment.summary()).get("_step"));
    assertEquals(1L, ((Number) values(segment.summary()).get("total/traces")).longValue());
  }

  /** Pending rows and a summary, as the worker spools them, read back from disk. */
  private RunSegment pending(String... traceIds) throws Exception {
    List<byte[]> entries = new ArrayList<>();
    for (String id : traceIds) {
      entries.add(RunSegment.pendingRow(null, "p", "run01", row(id)));
    }
    entries.add(RunSegment.summary(null, "p", "run01", new LinkedHashMap<>(Map.of("total/traces", traceIds.length))));
    return segment(entries);
  }

  private RunSegment segment(List<byte[]> lines) throws Exception {
    return RunSegment.read(spool.appendLines(lines));
  }

  private static Map<String, Object> row(String traceId) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("trace_id", traceId);
    row.put("_runtime", 1.5);
    row.put("_timestamp", 1718000001.2);
    return row;
  }

  private static List<Long> offsets(RunSegment segment) {
    return segment.rows().stream().map(row -> row.offset).collect(Collectors.toList());
  }

  private static List<Object> traceIds(RunSegment segment) {
    return segment.rows().stream().map(row -> values(row.element).get("trace_id")).collect(Collectors.toList());
  }

  /** The object a content element's line holds. */
  static Map<String, Object> values(byte[] element) {
    try {
      return Json.parseObject((String) Json.parse(element));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> entry(byte[] line) {
    try {
      return Json.parseObject(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
