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
}
