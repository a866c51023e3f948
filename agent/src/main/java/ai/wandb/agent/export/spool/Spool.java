package ai.wandb.agent.export.spool;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Json;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A bounded on-disk queue of JSON entries for one sink: each batch is one segment file
 * ({@code <millis>-<seq>.jsonl}, one entry a line) written whole through a temporary file and a
 * rename, so a segment on disk is always complete. Segments are read oldest first (their names sort by
 * time) and deleted once the sink's server took them. Directories are 700 and files 600 where the file
 * system has POSIX permissions. When the total size passes the bound, the oldest segments are dropped
 * and their entries counted.
 */
public final class Spool {
  private static final String SUFFIX = ".jsonl";

  private final Path dir;
  private final long maxBytes;
  private long seq;
  private long spooled;
  private long dropped;
  private boolean warnedWrite;
  private boolean warnedFull;
  /** Bytes of the segments as last counted plus those appended since; -1 before the first count. */
  private long bytesEstimate = -1;
  private int appendsSinceCount;

  public Spool(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  public Path dir() {
    return dir;
  }

  /** Entries written by this process. */
  public synchronized long spooled() {
    return spooled;
  }

  /** Entries dropped because the spool was full (or could not be written). */
  public synchronized long dropped() {
    return dropped;
  }

  /** Writes one segment; false (entries counted as dropped, one warning) when the disk refuses. */
  public synchronized boolean append(List<Map<String, Object>> entries) {
    return entries.isEmpty() || appendSegment(entries) != null;
  }

  /** Writes one segment and returns it, so its writer can delete it once sent; null as {@link #append} false. */
  public synchronized Path appendSegment(List<Map<String, Object>> entries) {
    return appendSegment(entries.size(), entries(entries));
  }

  /**
   * {@link #appendSegment} for entries already written as JSON, one UTF-8 line each (without the line
   * break), by a sink that splices them into its requests as they are.
   */
  public synchronized Path appendLines(List<byte[]> lines) {
    return appendSegment(lines.size(), lines(lines));
  }

  private Path appendSegment(int count, Lines lines) {
    try {
      createPrivateDir(dir);
      Path segment = dir.resolve(String.format("%013d-%06d%s", System.currentTimeMillis(), seq++ % 1000000, SUFFIX));
      Path tmp = writeTemporary(segment, lines);
      makeRoom(Files.size(tmp));
      moveInto(tmp, segment);
      spooled += count;
      return segment;
    } catch (IOException | RuntimeException e) {
      dropped += count;
      if (!warnedWrite) {
        warnedWrite = true;
        AgentLog.warn("cannot write the spool in " + dir + " (" + e + "); " + count
            + " entries not kept (check that wandb.dir is writable and the disk has room)");
      }
      return null;
    }
  }

  /**
   * Replaces a segment's entries, lines as {@link #appendLines} takes them, whole or not at all (the
   * same temporary file and rename as a new segment); the segment keeps its name, so its place in the order. False when it is gone (sent,
   * or dropped for room) or cannot be written; it is then as it was. Not held to the size bound: a
   * rewrite adds a few fields to entries already counted.
   */
  public synchronized boolean replaceSegment(Path segment, List<byte[]> lines) {
    if (!Files.exists(segment)) {
      return false;
    }
    try {
      moveInto(writeTemporary(segment, lines(lines)), segment);
      return true;
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("rewriting " + segment + ": " + e);
      return false;
    }
  }

  /**
   * Replaces {@code file} (in this spool's directory, not a segment) with the entries, whole or not at
   * all, readable by the owner only; false when the disk refused.
   */
  public synchronized boolean writeFile(Path file, List<Map<String, Object>> entries) {
    try {
      createPrivateDir(dir);
      moveInto(writeTemporary(file, entries(entries)), file);
      return true;
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("writing " + file + ": " + e);
      return false;
    }
  }

  /** A segment's content, one entry a line. */
  private interface Lines {
    void writeTo(OutputStream out) throws IOException;
  }

  private static Lines entries(final List<Map<String, Object>> entries) {
    return new Lines() {
      @Override
      public void writeTo(OutputStream out) throws IOException {
        // Straight to UTF-8: text first and encoded after is twice the work (JFR, the exporter benchmark).
        for (Map<String, Object> entry : entries) {
          Json.writeUtf8(entry, out);
          out.write('\n');
        }
      }
    };
  }

  private static Lines lines(final List<byte[]> lines) {
    return new Lines() {
      @Override
      public void writeTo(OutputStream out) throws IOException {
        for (byte[] line : lines) {
          out.write(line);
          out.write('\n');
        }
      }
    };
  }

  /** Writes the lines to a hidden temporary file beside {@code segment}, readable by the owner only. */
  private static Path writeTemporary(Path segment, Lines lines) throws IOException {
    Path tmp = segment.resolveSibling("." + segment.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    restrict(tmp, "rw-------");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.WRITE), 65536)) {
      lines.writeTo(out);
    }
    return tmp;
  }

  private static void moveInto(Path tmp, Path segment) throws IOException {
    try {
      Files.move(tmp, segment, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, segment, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The segments on disk, oldest first (including those of earlier processes). */
  public synchronized List<Path> segments() {
    List<Path> out = new ArrayList<Path>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        if (!file.getFileName().toString().startsWith(".")) {
          out.add(file);
        }
      }
    } catch (IOException e) {
      AgentLog.debug("listing the spool " + dir + ": " + e);
    }
    Collections.sort(out);
    return out;
  }

  /** The entries of one segment; an unreadable line (a torn write of an older version) is skipped. */
  public static List<Map<String, Object>> read(Path segment) throws IOException {
    List<Map<String, Object>> entries = new ArrayList<Map<String, Object>>();
    // Parsed from the bytes: decoding each line to a string first was a fifth of the Weave sender's
    // samples (JFR, the exporter benchmark).
    for (byte[] line : readLines(segment)) {
      try {
        entries.add(Json.parseObject(line, 0, line.length));
      } catch (RuntimeException e) {
        AgentLog.debug("skipping an unreadable line in " + segment + ": " + e);
      }
    }
    return entries;
  }

  /** The lines of one segment as they are on disk (split as readLine splits them), empty ones left out. */
  public static List<byte[]> readLines(Path segment) throws IOException {
    List<byte[]> lines = new ArrayList<byte[]>();
    byte[] bytes = Files.readAllBytes(segment);
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] != '\n' && bytes[i] != '\r') {
        continue;
      }
      if (i > start) {
        lines.add(Arrays.copyOfRange(bytes, start, i));
      }
      start = i + 1;
    }
    return lines;
  }

  public synchronized void delete(Path segment) {
    try {
      Files.deleteIfExists(segment);
    } catch (IOException e) {
      AgentLog.debug("deleting " + segment + ": " + e);
    }
  }

  /** Removes the directory once it holds no segment (its lock file goes with it); kept otherwise. */
  public synchronized void deleteIfEmpty() {
    if (!segments().isEmpty()) {
      return;
    }
    try {
      Files.deleteIfExists(dir.resolve(".lock"));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      AgentLog.debug("removing " + dir + ": " + e);
    }
  }

  /**
   * The right to replay this directory, held by one process at a time so that two JVMs started in the
   * same directory never send the same segment; null when another process holds it.
   */
  public Closeable tryLock() {
    try {
      createPrivateDir(dir);
      final FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      final FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (IOException | RuntimeException e) {
        channel.close();
        return null;
      }
      if (lock == null) {
        channel.close();
        return null;
      }
      return new Closeable() {
        @Override
        public void close() throws IOException {
          lock.release();
          channel.close();
        }
      };
    } catch (IOException e) {
      AgentLog.debug("locking the spool " + dir + ": " + e);
      return null;
    }
  }

  /** A segment's entries, one a line, counted without parsing them (a full spool drops one per batch). */
  private static long lines(Path segment) throws IOException {
    long lines = 0;
    try (InputStream in = Files.newInputStream(segment)) {
      byte[] buffer = new byte[65536];
      for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
        for (int i = 0; i < read; i++) {
          lines += buffer[i] == '\n' ? 1 : 0;
        }
      }
    }
    return lines;
  }

  private void makeRoom(long incoming) throws IOException {
    // Listing and sizing every segment at each append made a long outage quadratic: spooling a web
    // server's 200 traces/s, most of the run sink's CPU samples were here (JFR). The directory is counted
    // again only when the estimate (the last count plus what was appended since; deletions only lower
    // the truth) would pass the bound, or after 256 appends (other processes' segments).
    if (bytesEstimate >= 0 && appendsSinceCount < 256 && bytesEstimate + incoming <= maxBytes) {
      bytesEstimate += incoming;
      appendsSinceCount++;
      return;
    }
    List<Path> segments = segments();
    long total = incoming;
    for (Path segment : segments) {
      total += Files.size(segment);
    }
    int oldest = 0;
    while (total > maxBytes && oldest < segments.size()) {
      Path victim = segments.get(oldest++);
      long size = Files.size(victim);
      long lines = lines(victim);
      Files.deleteIfExists(victim);
      total -= size;
      dropped += lines;
      // Once: a sink that cannot keep up drops a segment per batch, and the exit line counts them all.
      String line = "the spool " + dir + " is full (wandb.spool_max_bytes=" + maxBytes + "); dropped its oldest "
          + lines + " entries";
      if (warnedFull) {
        AgentLog.debug(line);
      } else {
        warnedFull = true;
        AgentLog.warn(line + " (further drops are counted in the exit line)");
      }
    }
    bytesEstimate = total;
    appendsSinceCount = 0;
  }

  static void createPrivateDir(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Files.createDirectories(dir);
    restrict(dir, "rwx------");
    Path parent = dir.getParent();
    if (parent != null && parent.getFileName() != null && "spool".equals(parent.getFileName().toString())) {
      restrict(parent, "rwx------");
    }
  }

  private static void restrict(Path path, String permissions) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system (Windows): the user's profile directory already limits access.
    }
  }
}
