package ai.wandb.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
  @TempDir
  Path dir;

  @AfterEach
  void reset() {
    Tracer.setListener(null);
  }

  private static Span finishedTrace(String prompt) {
    Span root = Tracer.start("agent", SpanKind.AGENT, null, null);
    Span llm = Tracer.start("llm", SpanKind.LLM, null, null);
    llm.setInputs(Map.of("prompt", prompt));
    Tracer.end(llm, null, null);
    Tracer.end(root, null, null);
    return root;
  }

  @Test
  void writesOneLinePerTraceWithChildrenNestedAndTheViewerBesideIt() throws Exception {
    FileSink sink = new FileSink(dir.resolve("traces"), new RunInfo("abc12345", "demo"));
    sink.export(List.of(finishedTrace("one"), finishedTrace("two")));

    List<String> lines = Files.readAllLines(sink.jsonlFile());
    assertEquals(dir.resolve("traces/abc12345.jsonl"), sink.jsonlFile());
    assertEquals(2, lines.size());
    Map<String, Object> root = Json.parseObject(lines.get(1));
    assertEquals("agent", root.get("name"));
    assertEquals("AGENT", root.get("kind"));
    Map<?, ?> child = (Map<?, ?>) ((List<?>) root.get("children")).get(0);
    assertEquals(root.get("span_id"), child.get("parent_id"));
    assertEquals(Map.of("prompt", "two"), child.get("inputs"));
    assertTrue(Files.readString(dir.resolve("traces/index.html")).contains("<html"));
  }

  @Test
  void theViewerScriptEscapesClosingTagsSoAPromptCannotEndTheScript() throws Exception {
    FileSink sink = new FileSink(dir, new RunInfo("abc12345", "demo"));
    String prompt = "</script><img src=x onerror=alert(1)> ünïcødé 日本語</b>";
    sink.export(List.of(finishedTrace(prompt)));

    String script = Files.readString(dir.resolve((String) ViewerFilesTest.index(dir).get(0).get("file")));
    assertTrue(script.startsWith("wandbTrace({\"run_id\":\"abc12345\",\"run_name\":\"demo\",\"trace\":{"), script);
    assertFalse(script.contains("</script>"));
    Map<String, Object> entry = ViewerFilesTest.entries(dir).get(0);
    Map<?, ?> child = (Map<?, ?>) ((List<?>) ((Map<?, ?>) entry.get("trace")).get("children")).get(0);
    assertEquals(prompt, ((Map<?, ?>) child.get("inputs")).get("prompt"));
    Map<String, Object> line = Json.parseObject(Files.readString(sink.jsonlFile()).trim());
    Map<?, ?> lineChild = (Map<?, ?>) ((List<?>) line.get("children")).get(0);
    assertEquals(prompt, ((Map<?, ?>) lineChild.get("inputs")).get("prompt"), "the JSONL keeps the text unescaped");
  }

  @Test
  void whileTracesKeepComingTheViewerGetsAChunkPerIntervalAndTheRestWhenIdleAndAtClose() throws Exception {
    FileSink sink = new FileSink(dir, new RunInfo("abc12345", "demo"), FileSink.DEFAULT_MAX_BYTES, 60_000);
    sink.export(List.of(finishedTrace("first")));
    sink.export(List.of(finishedTrace("second")));
    sink.export(List.of(finishedTrace("third")));
    assertEquals(3, Files.readAllLines(sink.jsonlFile()).size(), "the JSONL gets every batch at once");
    assertEquals(List.of("first"), prompts(ViewerFilesTest.entries(dir)), "the first trace shows at once");

    sink.idle();
    assertEquals(List.of("first", "second", "third"), prompts(ViewerFilesTest.entries(dir)));
    assertEquals(2, ViewerFilesTest.index(dir).size(), "the two waiting batches went into one chunk");

    sink.export(List.of(finishedTrace("fourth")));
    sink.close(1000);
    assertEquals(List.of("first", "second", "third", "fourth"), prompts(ViewerFilesTest.entries(dir)));
    sink.idle();
    assertEquals(3, ViewerFilesTest.index(dir).size(), "nothing waiting, no chunk");
  }

  private static List<Object> prompts(List<Map<String, Object>> entries) {
    List<Object> out = new java.util.ArrayList<>();
    for (Map<String, Object> entry : entries) {
      Map<?, ?> child = (Map<?, ?>) ((List<?>) ((Map<?, ?>) entry.get("trace")).get("children")).get(0);
      out.add(((Map<?, ?>) child.get("inputs")).get("prompt"));
    }
    return out;
  }

  @Test
  void nothingIsWrittenBeforeTheFirstTrace() {
    new FileSink(dir.resolve("traces"), new RunInfo("abc12345", "demo"));
    assertFalse(Files.exists(dir.resolve("traces")));
  }

  @Test
  void whatAKilledRunLeftIsRepairedWithANoteAndLaterTracesStayReadable() throws Exception {
    Path traces = dir.resolve("traces");
    FileSink first = new FileSink(traces, new RunInfo("run00001", "first"));
    first.export(List.of(finishedTrace("kept")));
    // What a JVM killed mid-write leaves: half a JSONL line without its newline, half a chunk under its temporary name.
    Files.writeString(first.jsonlFile(), Files.readString(first.jsonlFile()) + "{\"trace_id\":\"ab");
    Files.writeString(traces.resolve("chunks/2-2.js.tmp"), "wandbTrace({\"run_id\":\"run00001\",\"tr");
    Files.writeString(traces.resolve("run00001.jsonl.trim"), "{\"trace_id\":");
    java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
    ai.wandb.agent.api.AgentLog.setOutput(new java.io.PrintStream(said, true));
    try {
      new FileSink(traces, new RunInfo("run00002", "second")).export(List.of(finishedTrace("after")));
    } finally {
      ai.wandb.agent.api.AgentLog.setOutput(null);
    }

    List<Map<String, Object>> entries = ViewerFilesTest.entries(traces);
    assertEquals(List.of("run00001", "run00002"), entries.stream().map(e -> e.get("run_id")).toList());
    assertEquals(1, Files.readAllLines(first.jsonlFile()).size());
    Json.parseObject(Files.readAllLines(first.jsonlFile()).get(0));
    assertFalse(Files.exists(traces.resolve("chunks/2-2.js.tmp")));
    assertFalse(Files.exists(traces.resolve("run00001.jsonl.trim")));
    String note = said.toString();
    assertTrue(note.contains("run00001.jsonl ended in a trace cut off mid-write"), note);
  }

  /** Three JVMs writing to one folder at once: the lock keeps every file whole and every trace once. */
  @Test
  void jvmsSharingTheFolderNeverLoseOrMixUpEachOthersTraces() throws Exception {
    Path traces = dir.resolve("shared");
    List<Process> writers = new java.util.ArrayList<>();
    int batches = 40;
    for (int i = 1; i <= 3; i++) {
      writers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), FileSinkWriter.class.getName(), traces.toString(),
          "jvm0000" + i, String.valueOf(batches)).redirectErrorStream(true).start());
    }
    for (Process writer : writers) {
      String out = new String(writer.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(writer.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), out);
      assertEquals(0, writer.exitValue(), out);
    }

    List<Map<String, Object>> entries = ViewerFilesTest.entries(traces);
    assertEquals(3 * batches * FileSinkWriter.PER_BATCH, entries.size());
    assertEquals(entries.size(),
        entries.stream().map(e -> ((Map<?, ?>) e.get("trace")).get("trace_id")).distinct().count());
    for (int i = 1; i <= 3; i++) {
      List<String> lines = Files.readAllLines(traces.resolve("jvm0000" + i + ".jsonl"));
      assertEquals(batches * FileSinkWriter.PER_BATCH, lines.size());
      for (String line : lines) {
        Json.parseObject(line);
      }
    }
    try (java.util.stream.Stream<Path> files = Files.list(traces.resolve("chunks"))) {
      List<Path> chunks = files.toList();
      assertEquals(ViewerFilesTest.index(traces).size(), chunks.size(), chunks.toString());
      assertTrue(chunks.size() < 3 * ViewerFiles.FANOUT, "120 batches merged into a few chunks: " + chunks);
    }
  }

  @Test
  void pastTheBoundTheOldestTracesAreDroppedWholeLinesFirst() throws Exception {
    long max = 64 * 1024;
    Path traces = dir.resolve("traces");
    FileSink old = new FileSink(traces, new RunInfo("old00001", "old"), max);
    old.export(List.of(finishedTrace("x".repeat(20_000)), finishedTrace("x".repeat(20_000))));
    Files.setLastModifiedTime(old.jsonlFile(), java.nio.file.attribute.FileTime.fromMillis(0));
    FileSink sink = new FileSink(traces, new RunInfo("new00001", "new"), max);
    for (int i = 0; i < 6; i++) {
      sink.export(List.of(finishedTrace("prompt " + i + " " + "y".repeat(10_000))));
    }

    assertFalse(Files.exists(old.jsonlFile()), "the oldest run's file went first");
    long viewerBytes = 0;
    for (Map<String, Object> chunk : ViewerFilesTest.index(traces)) {
      viewerBytes += ((Number) chunk.get("bytes")).longValue();
    }
    assertTrue(viewerBytes <= max, "the viewer's chunks: " + viewerBytes);
    List<Map<String, Object>> entries = ViewerFilesTest.entries(traces);
    String newest = Json.write(entries.get(entries.size() - 1));
    assertTrue(newest.contains("prompt 5 "), "the newest trace stays");
    assertFalse(entries.stream().anyMatch(e -> Json.write(e).contains("xxxxxxxxxx")), "the oldest traces are gone");
    for (String line : Files.readAllLines(sink.jsonlFile())) {
      Json.parseObject(line);
    }
  }

  @Test
  void eachLineCarriesTheTraceTotalsWithEachCallOnce() throws Exception {
    Span root = Tracer.start("langchain4j.ai_service", SpanKind.AGENT, null, null);
    Span framework = Tracer.start("langchain4j.chat", SpanKind.LLM, null, null);
    Span sdk = Tracer.start("openai.chat.completions.create", SpanKind.LLM, null, null);
    Tracer.end(sdk, null, null);
    Tracer.end(framework, null, null);
    Tracer.end(root, null, null);
    for (Span span : List.of(framework, sdk)) {
      span.attributes().put("gen_ai.request.model", "gpt-4o-mini");
      span.setUsage(new ai.wandb.agent.api.Usage(1000L, 100L, null, null, null));
      ai.wandb.agent.export.cost.Pricing.annotate(span);
    }
    FileSink sink = new FileSink(dir, new RunInfo("abc12345", "demo"));
    sink.export(List.of(root));

    Map<String, Object> line = Json.parseObject(Files.readString(sink.jsonlFile()).trim());
    Map<?, ?> totals = (Map<?, ?>) line.get("totals");
    assertEquals(3, ((Number) totals.get("spans")).intValue());
    assertEquals(1100, ((Number) ((Map<?, ?>) totals.get("usage")).get("total_tokens")).intValue());
    double oneCall = (1000 * 0.15 + 100 * 0.60) / 1e6;
    assertEquals(oneCall, ((Number) totals.get("cost_usd")).doubleValue(), 1e-15);
    Map<?, ?> chat = (Map<?, ?>) ((List<?>) line.get("children")).get(0);
    assertEquals(oneCall, ((Number) chat.get("cost_usd")).doubleValue(), 1e-15);
    assertEquals(oneCall, ((Number) ((Map<?, ?>) chat.get("attributes")).get("wandb.cost_usd")).doubleValue(), 1e-15);
    assertEquals(null, line.get("cost_usd"), "the root saw no usage of its own");
  }
}
