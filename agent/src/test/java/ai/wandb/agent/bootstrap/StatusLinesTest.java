package ai.wandb.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.export.ExportStats;
import ai.wandb.agent.export.FileSink;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.Sink;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusLinesTest {
  @TempDir
  Path dir;

  @Test
  void theExitLineNamesTheViewerOnlyOnceATraceWasWritten() throws Exception {
    Path traces = dir.resolve("wandb/traces");
    FileSink sink = new FileSink(traces, new RunInfo("abc12345", "demo"));
    List<Sink> sinks = List.of(sink);

    assertEquals("exported 0 trace(s), 0 span(s); dropped 0", StatusLines.exit(new ExportStats(), sinks));

    Span root = Tracer.start("agent", SpanKind.AGENT, null, null);
    Tracer.end(root, null, null);
    sink.export(List.of(root));
    assertEquals("exported 0 trace(s), 0 span(s); dropped 0; file: " + traces.resolve("index.html"),
        StatusLines.exit(new ExportStats(), sinks));
  }
}
