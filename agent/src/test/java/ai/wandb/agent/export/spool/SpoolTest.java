package ai.wandb.agent.export.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir
  Path root;

  @Test
  void segmentsAreReadBackOldestFirstWithTheirEntries() throws Exception {
    Spool spool = new Spool(root.resolve("spool/weave"), 1 << 20);
    spool.append(List.of(Map.of("n", 1), Map.of("n", 2)));
    spool.append(List.of(Map.of("n", 3)));

    List<Path> segments = spool.segments();
    assertEquals(2, segments.size());
    assertEquals(List.of(Map.of("n", 1L), Map.of("n", 2L)), numbers(Spool.read(segments.get(0))));
    assertEquals(List.of(Map.of("n", 3L)), numbers(Spool.read(segments.get(1))));
    assertEquals(3, spool.spooled());

    spool.delete(segments.get(0));
    assertEquals(List.of(segments.get(1)), spool.segments());
  }

  @Test
  void aReplacedSegmentKeepsItsNameAndPlaceAndHoldsOnlyTheNewEntries() throws Exception {
    Spool spool = new Spool(root.resolve("spool/run/r1"), 1 << 20);
    Path first = spool.appendSegment(List.of(Map.of("n", 1), Map.of("n", 2)));
    Path second = spool.appendSegment(List.of(Map.of("n", 3)));

    assertTrue(spool.replaceSegment(first, List.of("{\"n\":10}".getBytes(StandardCharsets.UTF_8))));

    assertEquals(List.of(first, second), spool.segments());
    assertEquals(List.of(Map.of("n", 10L)), numbers(Spool.read(first)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
    try (Stream<Path> files = Files.list(spool.dir())) {
      assertEquals(List.of(first, second), files.sorted().collect(Collectors.toList()), "no temporary file is left");
    }
  }

  @Test
  void aSegmentThatIsGoneIsNotWrittenBack() throws Exception {
    Spool spool = new Spool(root.resolve("spool/run/r1"), 1 << 20);
    Path segment = spool.appendSegment(List.of(Map.of("n", 1)));
    spool.delete(segment);

    assertFalse(spool.replaceSegment(segment, List.of("{\"n\":2}".getBytes(StandardCharsets.UTF_8))));
    assertTrue(spool.segments().isEmpty());
  }

  @Test
  void onlyTheOwnerCanReadTheSpool() throws Exception {
    Spool spool = new Spool(root.resolve("spool/weave"), 1 << 20);
    spool.append(List.of(Map.of("n", 1)));

    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("spool"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool.dir())));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spool.segments().get(0))));
  }

  @Test
  void aFullSpoolDropsItsOldestSegmentsAndCountsTheirEntries() throws Exception {
    Spool spool = new Spool(root.resolve("weave"), 300);
    String text = "x".repeat(100);
    spool.append(List.of(Map.of("t", text, "n", 1), Map.of("t", text, "n", 2)));
    spool.append(List.of(Map.of("t", text, "n", 3)));

    assertEquals(2, spool.dropped());
    List<Path> segments = spool.segments();
    assertEquals(1, segments.size());
    assertEquals(3L, ((Number) Spool.read(segments.get(0)).get(0).get("n")).longValue());
  }

  @Test
  void aSpoolThatCannotBeWrittenCountsTheEntriesAsDropped() throws Exception {
    Path file = Files.writeString(root.resolve("not-a-dir"), "x");
    Spool spool = new Spool(file.resolve("weave"), 1 << 20);

    assertFalse(spool.append(List.of(Map.of("n", 1))));
    assertEquals(1, spool.dropped());
  }

  @Test
  void oneProcessAtATimeReplaysADirectory() throws Exception {
    Spool spool = new Spool(root.resolve("weave"), 1 << 20);
    try (Closeable first = spool.tryLock()) {
      assertTrue(first != null);
      // FileLock is per JVM, so a second channel in this JVM is refused (an OverlappingFileLockException).
      assertEquals(null, spool.tryLock());
    }
    try (Closeable again = spool.tryLock()) {
      assertTrue(again != null);
    }
  }

  private static List<Map<String, Object>> numbers(List<Map<String, Object>> entries) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> entry : entries) {
      out.add(Map.of("n", ((Number) entry.get("n")).longValue()));
    }
    return out;
  }
}
