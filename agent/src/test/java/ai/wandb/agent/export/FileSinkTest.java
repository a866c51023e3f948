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

    String script = Files.readString(dir.resolve("traces.js"));
    assertTrue(script.startsWith("wandbTrace({\"run_id\":\"abc12345\",\"run_name\":\"demo\",\"trace\":{"), script);
    assertFalse(script.contains("</script>"));
    String json = script.substring("wandbTrace(".length(), script.lastIndexOf(");"));
    Map<String, Object> entry = Json.parseObject(json);
    Map<?, ?> child = (Map<?, ?>) ((List<?>) ((Map<?, ?>) entry.get("trace")).get("children")).get(0);
    assertEquals(prompt, ((Map<?, ?>) child.get("inputs")).get("prompt"));
    Map<String, Object> line = Json.parseObject(Files.readString(sink.jsonlFile()).trim());
    Map<?, ?> lineChild = (Map<?, ?>) ((List<?>) line.get("children")).get(0);
    assertEquals(prompt, ((Map<?, ?>) lineChild.get("inputs")).get("prompt"), "the JSONL keeps the text unescaped");
  }

  @Test
  void nothingIsWrittenBeforeTheFirstTrace() {
    new FileSink(dir.resolve("traces"), new RunInfo("abc12345", "demo"));
    assertFalse(Files.exists(dir.resolve("traces")));
  }

  @Test
  void aLastLineCutOffByAKilledRunIsRemovedWithANoteAndLaterTracesStayReadable() throws Exception {
    Path traces = dir.resolve("traces");
    FileSink first = new FileSink(traces, new RunInfo("run00001", "first"));
    first.export(List.of(finishedTrace("kept")));
    String whole = Files.readString(traces.resolve("traces.js"));
    // What a JVM killed mid-write leaves: half a statement, no newline.
    Files.writeString(traces.resolve("traces.js"), whole + "wandbTrace({\"run_id\":\"run00001\",\"tr");
    Files.writeString(first.jsonlFile(), Files.readString(first.jsonlFile()) + "{\"trace_id\":\"ab");
    java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
    ai.wandb.agent.api.AgentLog.setOutput(new java.io.PrintStream(said, true));
    try {
      new FileSink(traces, new RunInfo("run00002", "second")).export(List.of(finishedTrace("after")));
    } finally {
      ai.wandb.agent.api.AgentLog.setOutput(null);
    }

    List<String> script = Files.readAllLines(traces.resolve("traces.js"));
    assertEquals(2, script.size(), script.toString());
    for (String line : script) {
      assertTrue(line.startsWith("wandbTrace({") && line.endsWith("});"), line);
    }
    assertEquals(1, Files.readAllLines(first.jsonlFile()).size());
    Json.parseObject(Files.readAllLines(first.jsonlFile()).get(0));
    String note = said.toString();
    assertTrue(note.contains("traces.js ended in a trace cut off mid-write"), note);
    assertTrue(note.contains("run00001.jsonl ended in a trace cut off mid-write"), note);
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
    List<String> script = Files.readAllLines(traces.resolve("traces.js"));
    assertTrue(Files.size(traces.resolve("traces.js")) <= max);
    assertTrue(script.get(script.size() - 1).contains("prompt 5 "), "the newest trace stays");
    assertFalse(Files.readString(traces.resolve("traces.js")).contains("xxxxxxxxxx"), "the oldest traces are gone");
    for (String line : script) {
      assertTrue(line.startsWith("wandbTrace({") && line.endsWith("});"), "only whole lines remain");
    }
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
