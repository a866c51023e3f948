package ai.wandb.agent.export;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.InputStreams;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local sink: {@code <run-id>.jsonl} (one finished trace per line, for tools), {@code traces.js}
 * (the same traces as script statements, appended, because a page opened from {@code file://} may
 * load a script but not fetch a file) and the {@code index.html} viewer. Nothing is created until the
 * first trace, so an app that never calls a model leaves no files.
 */
public final class FileSink implements Sink {
  static final String VIEWER_RESOURCE = "/ai/wandb/agent/viewer/index.html";
  private static final byte[] SCRIPT_TAIL = "});\n".getBytes(StandardCharsets.UTF_8);

  private final Path dir;
  private final RunInfo run;
  /** Built with the first trace: JSON machinery is not loaded in premain. */
  private byte[] scriptHead;
  private boolean prepared;
  private boolean broken;

  public FileSink(Path dir, RunInfo run) {
    this.dir = dir;
    this.run = run;
  }

  @Override
  public String name() {
    return "file";
  }

  @Override
  public String location() {
    return dir.resolve("index.html").toString();
  }

  /** The viewer only once it is on disk: a run that traced nothing has no page to open. */
  @Override
  public String exitLocation() {
    return Files.exists(dir.resolve("index.html")) ? location() : null;
  }

  public Path jsonlFile() {
    return dir.resolve(run.id() + ".jsonl");
  }

  @Override
  public boolean wantsStartEvents() {
    return false;
  }

  @Override
  public void spanStarted(Span span) {}

  @Override
  public void export(List<Span> roots) throws IOException {
    if (broken) {
      return;
    }
    try {
      prepare();
      ByteArrayOutputStream lines = new ByteArrayOutputStream(16384);
      ByteArrayOutputStream script = new ByteArrayOutputStream(16384);
      for (Span root : roots) {
        byte[] json = Json.writeUtf8(TraceJson.tree(root));
        lines.write(json);
        lines.write('\n');
        script.write(scriptHead);
        writeForScript(json, script);
        script.write(SCRIPT_TAIL);
      }
      append(jsonlFile(), lines.toByteArray());
      append(dir.resolve("traces.js"), script.toByteArray());
    } catch (IOException e) {
      broken = true;
      AgentLog.warn("cannot write traces to " + dir + " (" + e + "); set WANDB_DIR to a writable folder");
      throw e;
    }
  }

  /** {@code wandbTrace({"run_id":...,"run_name":...,"trace":}: the same for every trace of this JVM. */
  private static byte[] scriptHead(RunInfo run) {
    Map<String, Object> head = new LinkedHashMap<String, Object>();
    head.put("run_id", run.id());
    head.put("run_name", run.name());
    String json = Json.write(head);
    return ("wandbTrace(" + json.substring(0, json.length() - 1) + ",\"trace\":").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Copies the trace's UTF-8 JSON with {@code </} written as {@code <\/}: inside a string it would end
   * an inline script; in a .js file it is harmless, but the viewer may be inlined by users, so escape it
   * the way JSON allows. Byte-wise is safe: UTF-8 never uses these two bytes inside a multi-byte character.
   */
  static void writeForScript(byte[] json, ByteArrayOutputStream out) {
    int from = 0;
    for (int i = 0; i + 1 < json.length; i++) {
      if (json[i] == '<' && json[i + 1] == '/') {
        out.write(json, from, i + 1 - from);
        out.write('\\');
        from = i + 1;
      }
    }
    out.write(json, from, json.length - from);
  }

  /** Creates the folder and the viewer; again on the next trace if it failed. */
  @Override
  public void prepare() throws IOException {
    if (prepared) {
      return;
    }
    Files.createDirectories(dir);
    scriptHead = scriptHead(run);
    byte[] viewer = viewer();
    Path index = dir.resolve("index.html");
    if (!Files.exists(index) || !Arrays.equals(Files.readAllBytes(index), viewer)) {
      Files.write(index, viewer);
    }
    prepared = true;
  }

  private static byte[] viewer() throws IOException {
    InputStream in = FileSink.class.getResourceAsStream(VIEWER_RESOURCE);
    if (in == null) {
      throw new IOException("the viewer " + VIEWER_RESOURCE + " is missing from the agent jar");
    }
    return InputStreams.readAll(in);
  }

  private static void append(Path file, byte[] bytes) throws IOException {
    // One write per batch, so lines from two JVMs appending to traces.js do not interleave mid-line.
    OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    try {
      out.write(bytes);
    } finally {
      out.close();
    }
  }

  @Override
  public void close(long timeoutMillis) {}

  @Override
  public String exitNote() {
    return null;
  }
}
