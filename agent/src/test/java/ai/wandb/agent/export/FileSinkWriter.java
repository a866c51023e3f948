package ai.wandb.agent.export;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** A JVM writing to a shared traces folder, for FileSinkTest: {@code FileSinkWriter <dir> <run-id> <batches>}. */
public final class FileSinkWriter {
  static final int PER_BATCH = 2;

  private FileSinkWriter() {}

  public static void main(String[] args) throws Exception {
    FileSink sink = new FileSink(Paths.get(args[0]), new RunInfo(args[1], "writer"));
    for (int i = 0; i < Integer.parseInt(args[2]); i++) {
      List<Span> batch = new ArrayList<Span>();
      for (int j = 0; j < PER_BATCH; j++) {
        Span root = Tracer.start("agent", SpanKind.AGENT, null, null);
        root.setInputs(java.util.Collections.singletonMap("prompt", args[1] + " " + i + " " + j));
        Tracer.end(root, null, null);
        batch.add(root);
      }
      sink.export(batch);
    }
  }
}
