package ai.wandb.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewerFilesTest {
  private static final long MAX = 256L << 20;

  @TempDir
  Path dir;

  private static byte[] batch(int... numbers) {
    StringBuilder out = new StringBuilder();
    for (int n : numbers) {
      out.append("wandbTrace({\"n\":").append(n).append("});\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private ViewerFiles files(long max) throws IOException {
    ViewerFiles files = new ViewerFiles(dir, max);
    files.recover();
    return files;
  }

  /** What traces.js lists, as the viewer reads it. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> index(Path dir) throws IOException {
    String script = Files.readString(dir.resolve("traces.js"));
    assertTrue(script.startsWith("wandbIndex(") && script.endsWith(");\n"), script);
    Map<String, Object> index = Json.parseObject(script.substring("wandbIndex(".length(), script.length() - 3));
    return (List<Map<String, Object>>) index.get("chunks");
  }

  /** Every {@code wandbTrace(...)} argument of every chunk traces.js lists, in its order; each file whole. */
  static List<Map<String, Object>> entries(Path dir) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> chunk : index(dir)) {
      Path file = dir.resolve((String) chunk.get("file"));
      assertEquals(((Number) chunk.get("bytes")).longValue(), Files.size(file), "the index has the chunk's size");
      String text = Files.readString(file);
      assertTrue(text.isEmpty() || text.endsWith("\n"), "a chunk is whole lines: " + file);
      for (String line : text.split("\n")) {
        if (line.isEmpty()) {
          continue;
        }
        assertTrue(line.startsWith("wandbTrace(") && line.endsWith(");"), line);
        out.add(Json.parseObject(line.substring("wandbTrace(".length(), line.length() - 2)));
      }
    }
    return out;
  }

  private List<Integer> numbers() throws IOException {
    return entries(dir).stream().map(e -> ((Number) e.get("n")).intValue()).collect(Collectors.toList());
  }

  private List<String> chunkFiles() throws IOException {
    try (Stream<Path> list = Files.list(dir.resolve("chunks"))) {
      return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void eachBatchIsAChunkAndEightOfOneSizeBecomeOneSoTheFolderStaysSmall() throws Exception {
    ViewerFiles files = files(MAX);
    int batches = 100;
    for (int i = 1; i <= batches; i++) {
      files.add(batch(i));
    }
    assertEquals(range(1, batches), numbers(), "every trace once, in order");
    // Merging eight of a size into one is counting in base 8: one chunk per unit of each octal digit.
    int digits = Integer.toOctalString(batches).chars().map(c -> c - '0').sum();
    assertEquals(digits, index(dir).size(), index(dir).toString());
    assertEquals(digits, chunkFiles().size(), "merged chunks' sources are deleted: " + chunkFiles());
    assertEquals("chunks/1-64.js", index(dir).get(0).get("file"));
  }

  @Test
  void aChunkOfTheSealSizeIsNotMergedAgainAndTheSmallOnesBeforeItBecomeOne() throws Exception {
    long max = 1L << 20; // seals at 64 KiB
    ViewerFiles files = files(max);
    files.add(batch(1));
    files.add(batch(2));
    files.add(batch(3));
    StringBuilder big = new StringBuilder();
    for (int n = 4; big.length() < 70_000; n++) {
      big.append("wandbTrace({\"n\":").append(n).append(",\"pad\":\"").append("x".repeat(1000)).append("\"});\n");
    }
    files.add(big.toString().getBytes(StandardCharsets.UTF_8));
    List<Map<String, Object>> index = index(dir);
    assertEquals(List.of("chunks/1-3.js", "chunks/4-4.js"),
        index.stream().map(c -> c.get("file")).collect(Collectors.toList()));
    for (int i = 5; i <= 12; i++) {
      files.add(batch(1000 + i));
    }
    assertEquals("chunks/4-4.js", index(dir).get(1).get("file"), "the sealed chunk stays as it is");
    assertEquals("chunks/5-12.js", index(dir).get(2).get("file"), "the eight after it became one");
  }

  @Test
  void whateverStepAKillInterruptsTheNextWriteLeavesEveryTraceOnceAndNoLeftovers() throws Exception {
    ViewerFiles files = files(MAX);
    for (int i = 1; i <= 7; i++) {
      files.add(batch(i));
    }
    Path chunks = dir.resolve("chunks");
    // Killed while merging 1..7 and 8 into 1-8.js: after the rename, before traces.js and the deletes.
    Files.write(chunks.resolve("8-8.js"), batch(8));
    StringBuilder merged = new StringBuilder();
    for (int i = 1; i <= 8; i++) {
      merged.append(Files.readString(chunks.resolve(i + "-" + i + ".js")));
    }
    Files.writeString(chunks.resolve("1-8.js"), merged);
    // ... and, in another run, killed while writing a chunk and while writing traces.js.
    Files.writeString(chunks.resolve("9-9.js.tmp"), "wandbTrace({\"n\":9");
    Files.writeString(dir.resolve("traces.js.tmp"), "wandbIndex({\"chu");

    ViewerFiles next = files(MAX);
    next.add(batch(9));
    assertEquals(range(1, 9), numbers());
    assertEquals(List.of("1-8.js", "9-9.js"), chunkFiles(), "the merge's sources and the temporary files are gone");
    assertFalse(Files.exists(dir.resolve("traces.js.tmp")));
  }

  @Test
  void aChunkKilledAfterItsRenameButBeforeTheIndexIsListedByTheNextWrite() throws Exception {
    ViewerFiles files = files(MAX);
    files.add(batch(1));
    Files.write(dir.resolve("chunks/2-2.js"), batch(2));
    files.add(batch(3));
    assertEquals(List.of(1, 2, 3), numbers());
  }

  @Test
  void aChunkThatLostItsEndLosesItsCutOffLineAndSaysSo() throws Exception {
    ViewerFiles files = files(MAX);
    files.add(batch(1, 2));
    files.add(batch(3, 4));
    Path second = dir.resolve("chunks/2-2.js");
    String whole = Files.readString(second);
    Files.writeString(second, whole.substring(0, whole.length() - 5));

    Map<String, Long> repaired = new ViewerFiles(dir, MAX).recover();
    long cutLine = whole.length() - 5 - (whole.indexOf('\n') + 1);
    assertEquals(Map.of("chunks/2-2.js", cutLine), repaired);
    files.add(batch(5));
    assertEquals(List.of(1, 2, 3, 5), numbers());
  }

  @Test
  void aTracesJsFromAnEarlierVersionBecomesAChunkWithoutItsCutOffLastLine() throws Exception {
    String old = new String(batch(1, 2), StandardCharsets.UTF_8) + "wandbTrace({\"n\":3,\"cut";
    Files.writeString(dir.resolve("traces.js"), old);
    ViewerFiles files = new ViewerFiles(dir, MAX);
    Map<String, Long> repaired = files.recover();
    assertEquals(Map.of("traces.js", (long) "wandbTrace({\"n\":3,\"cut".length()), repaired);
    files.add(batch(4));
    assertEquals(List.of(1, 2, 4), numbers());
    assertEquals(List.of("1-1.js", "2-2.js"), chunkFiles());
  }

  @Test
  void pastTheBoundTheOldestChunksGoFirstAndTheNewestAlwaysStays() throws Exception {
    long max = 1L << 20;
    ViewerFiles files = files(max);
    String pad = "x".repeat(100_000);
    for (int i = 1; i <= 30; i++) {
      files.add(("wandbTrace({\"n\":" + i + ",\"pad\":\"" + pad + "\"});\n").getBytes(StandardCharsets.UTF_8));
    }
    long total = 0;
    for (Map<String, Object> chunk : index(dir)) {
      total += ((Number) chunk.get("bytes")).longValue();
    }
    assertTrue(total <= max, "listed " + total);
    List<Integer> kept = numbers();
    assertEquals(range(31 - kept.size(), 30), kept, "the newest, in order");
    assertEquals(index(dir).size(), chunkFiles().size(), "dropped chunks are deleted");

    ViewerFiles tiny = new ViewerFiles(dir.resolve("tiny"), max);
    Files.createDirectories(dir.resolve("tiny"));
    tiny.recover();
    tiny.add(("wandbTrace({\"n\":1,\"pad\":\"" + "y".repeat(2 << 20) + "\"});\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(1, index(dir.resolve("tiny")).size(), "one trace bigger than the bound still shows");
  }

  @Test
  void onlyNamesOfTheFormFromDashToAreChunks() {
    assertEquals(List.of(12L, 19L), toList(ViewerFiles.range("12-19.js")));
    for (String name : List.of("19-12.js", "0-3.js", "1-2.jsonl", "a-b.js", "12.js", "-1-2.js", "1-2.js.tmp")) {
      assertEquals(null, ViewerFiles.range(name), name);
    }
  }

  private static List<Long> toList(long[] range) {
    return List.of(range[0], range[1]);
  }
}
