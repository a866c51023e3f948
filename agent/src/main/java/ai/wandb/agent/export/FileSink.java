package ai.wandb.agent.export;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.InputStreams;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local sink: {@code <run-id>.jsonl} (one finished trace per line, for tools), the same traces as
 * script statements for the viewer ({@link ViewerFiles}: {@code traces.js} and {@code chunks/}, because a
 * page opened from {@code file://} may load a script but not fetch a file) and the {@code index.html}
 * viewer. Nothing is created until the first trace, so an app that never calls a model leaves no files.
 *
 * <p>The files outlive the JVM, so they must survive its end at any moment and grow within a bound.
 * Every write happens under a lock on {@code .lock} (JVMs sharing the folder included). The JSONL is
 * appended: a write that fails is cut back to where it began, and a last line left cut off by a killed
 * JVM is removed, with a note, the next time any JVM writes here. The viewer's files are only ever
 * replaced whole, so no kill can cut them. Past {@code wandb.local.max_bytes} the oldest traces are
 * dropped, whole lines or whole chunks at a time.
 */
public final class FileSink implements Sink {
  static final String VIEWER_RESOURCE = "/ai/wandb/agent/viewer/index.html";
  static final long DEFAULT_MAX_BYTES = 256L << 20;
  private static final byte[] SCRIPT_TAIL = "});\n".getBytes(StandardCharsets.UTF_8);
  /** Past this much waiting, the chunk is written whatever the time: a burst stays within memory. */
  private static final int PENDING_LIMIT = 1 << 20;

  private final Path dir;
  private final RunInfo run;
  private final long maxBytes;
  /** Built with the first trace: JSON machinery is not loaded in premain. */
  private byte[] scriptHead;
  private boolean prepared;
  private boolean repaired;
  private boolean trimNoted;
  private boolean broken;
  private final ViewerFiles viewerFiles;
  /** Shortest time between two chunks of the viewer; 0 writes one per batch. */
  private final long chunkEveryNanos;
  /** The viewer's statements of traces already in the JSONL, waiting for their chunk. */
  private final Bytes pendingScript = new Bytes();
  /** The JSONL lines of the batch being exported; reused, like the above, from batch to batch. */
  private final Bytes lines = new Bytes();
  private long lastChunkNanos;
  private boolean chunkWritten;

  public FileSink(Path dir, RunInfo run) {
    this(dir, run, DEFAULT_MAX_BYTES);
  }

  public FileSink(Path dir, RunInfo run, long maxBytes) {
    this(dir, run, maxBytes, 0);
  }

  /**
   * {@code chunkEveryMillis}: a chunk of the viewer costs a file created, renamed and listed (about
   * half a millisecond), so at a steady trickle of traces (a web server's 200 requests a second, each
   * its own batch) one per batch would cost the exporter a core's tenth. The JSONL still gets every
   * batch at once; the viewer gets a chunk at most this often, when the exporter goes idle and at close.
   */
  public FileSink(Path dir, RunInfo run, long maxBytes, long chunkEveryMillis) {
    this.dir = dir;
    this.run = run;
    this.maxBytes = maxBytes;
    this.viewerFiles = new ViewerFiles(dir, maxBytes);
    this.chunkEveryNanos = chunkEveryMillis * 1_000_000L;
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
      for (Span root : roots) {
        int from = lines.size();
        Json.writeUtf8(TraceJson.line(root), lines);
        pendingScript.write(scriptHead);
        writeForScript(lines.array(), from, lines.size(), pendingScript);
        pendingScript.write(SCRIPT_TAIL);
        lines.write('\n');
      }
      boolean chunkDue = !chunkWritten || System.nanoTime() - lastChunkNanos >= chunkEveryNanos
          || pendingScript.size() >= PENDING_LIMIT;
      write(lines, chunkDue);
    } catch (IOException e) {
      fail(e);
      throw e;
    } finally {
      lines.reset();
      lines.shrink();
    }
  }

  /** The exporter has nothing queued: the viewer gets what is waiting, so a quiet app's last traces show. */
  @Override
  public void idle() throws IOException {
    if (broken || pendingScript.size() == 0) {
      return;
    }
    try {
      write(null, true);
    } catch (IOException e) {
      fail(e);
      throw e;
    }
  }

  private void write(Bytes jsonl, boolean chunk) throws IOException {
    FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = lockFile.lock();
      try {
        if (!repaired) {
          repairCutLines();
          repaired = true;
        }
        if (jsonl != null) {
          append(jsonlFile(), jsonl);
        }
        if (chunk) {
          byte[] script = pendingScript.toByteArray();
          pendingScript.reset();
          pendingScript.shrink();
          lastChunkNanos = System.nanoTime();
          chunkWritten = true;
          keepWithinBound(viewerFiles.add(script));
        }
      } finally {
        lock.release();
      }
    } finally {
      lockFile.close();
    }
  }

  private void fail(IOException e) {
    broken = true;
    AgentLog.warn("cannot write traces to " + dir + " (" + e + "); set WANDB_DIR to a writable folder");
  }

  /**
   * A JVM killed mid-write leaves a JSONL line without its newline; appending after it would break the
   * next line too. The viewer's files get the same care (see {@link ViewerFiles#recover}), and the
   * temporary files of a rewrite a kill interrupted go.
   */
  private void repairCutLines() throws IOException {
    Map<String, Long> cut = new LinkedHashMap<String, Long>();
    DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "*" + TailRepair.TEMP);
    try {
      for (Path file : leftovers) {
        Files.deleteIfExists(file);
      }
    } finally {
      leftovers.close();
    }
    for (Path file : jsonlFiles()) {
      long dropped = TailRepair.cutOffLastLine(file);
      if (dropped > 0) {
        cut.put(file.getFileName().toString(), dropped);
      }
    }
    cut.putAll(viewerFiles.recover());
    for (Map.Entry<String, Long> file : cut.entrySet()) {
      AgentLog.info("note: " + file.getKey() + " ended in a trace cut off mid-write (" + file.getValue()
          + " bytes, from a run that stopped while writing); it was removed, the traces before it are kept");
    }
  }

  /** Past the bound, keeps the newest three quarters of it, so trimming is rare. */
  private void keepWithinBound(long droppedChunks) throws IOException {
    long keep = maxBytes / 4 * 3;
    long dropped = droppedChunks;
    List<Path> jsonl = jsonlFiles();
    long total = 0;
    for (Path file : jsonl) {
      total += Files.size(file);
    }
    if (total > maxBytes) {
      // Oldest runs' files go whole first; this run's own file is trimmed only when it alone is too big.
      Collections.sort(jsonl, new Comparator<Path>() {
        @Override
        public int compare(Path a, Path b) {
          try {
            return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
          } catch (IOException e) {
            return 0;
          }
        }
      });
      for (Path file : jsonl) {
        if (total <= keep || file.equals(jsonlFile())) {
          continue;
        }
        long size = Files.size(file);
        Files.delete(file);
        total -= size;
        dropped += size;
      }
      if (total > maxBytes) {
        dropped += TailRepair.keepNewest(jsonlFile(), keep);
      }
    }
    if (dropped > 0 && !trimNoted) {
      trimNoted = true;
      AgentLog.info("note: " + dir + " reached wandb.local.max_bytes=" + maxBytes + "; the oldest traces are dropped"
          + " to stay under it");
    }
  }

  private List<Path> jsonlFiles() throws IOException {
    List<Path> out = new ArrayList<Path>();
    DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jsonl");
    try {
      for (Path file : files) {
        out.add(file);
      }
    } finally {
      files.close();
    }
    return out;
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
  static void writeForScript(byte[] json, int start, int end, ByteArrayOutputStream out) {
    int from = start;
    for (int i = start; i + 1 < end; i++) {
      if (json[i] == '<' && json[i + 1] == '/') {
        out.write(json, from, i + 1 - from);
        out.write('\\');
        from = i + 1;
      }
    }
    out.write(json, from, end - from);
  }

  /** Creates the folder and the viewer; again on the next trace if it failed. */
  @Override
  public void prepare() throws IOException {
    if (prepared) {
      return;
    }
    Files.createDirectories(dir.resolve(ViewerFiles.CHUNKS));
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

  /** One write per batch; one that fails (a full disk) is cut back, so no half line stays behind. */
  private static void append(Path file, Bytes bytes) throws IOException {
    FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      long start = out.size();
      try {
        ByteBuffer buffer = ByteBuffer.wrap(bytes.array(), 0, bytes.size());
        out.position(start);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      } catch (IOException e) {
        try {
          out.truncate(start);
        } catch (IOException ignored) {
          // The next JVM to write here removes the cut line instead.
        }
        throw e;
      }
    } finally {
      out.close();
    }
  }

  /** What waits for its chunk is written before the JVM goes. */
  @Override
  public void close(long timeoutMillis) throws IOException {
    idle();
  }

  @Override
  public String exitNote() {
    return null;
  }

  /** A reusable buffer whose bytes are read in place, without the copy {@code toByteArray} makes. */
  static final class Bytes extends ByteArrayOutputStream {
    private static final int INITIAL = 16384;
    /** Past this, an emptied buffer is let go: one huge trace must not keep its size in memory for good. */
    private static final int KEEP = 1 << 20;

    Bytes() {
      super(INITIAL);
    }

    byte[] array() {
      return buf;
    }

    /** After a reset: back to the initial capacity if one batch grew it past {@link #KEEP}. */
    void shrink() {
      if (count == 0 && buf.length > KEEP) {
        buf = new byte[INITIAL];
      }
    }
  }
}
