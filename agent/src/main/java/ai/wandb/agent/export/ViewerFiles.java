package ai.wandb.agent.export;

import ai.wandb.agent.api.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The traces as the viewer reads them from {@code file://}, where a page may load a script but not fetch a
 * file: {@code chunks/<from>-<to>.js} files of {@code wandbTrace({...});} lines, and {@code traces.js}, a
 * one-line script that lists them. Every file is written whole to a temporary name and renamed over its
 * final one, so a reader, or a JVM killed at any moment, never leaves or sees half a file: a kill leaves a
 * {@code .tmp} file that nothing reads and the next write deletes. The caller holds the folder's lock.
 *
 * <p>The folder itself is the truth and {@code traces.js} is derived from it on every write, so whatever
 * step a kill interrupts, the next write repairs: chunk numbers count batches ({@code <from>-<to>} are the
 * batches a chunk holds), and a chunk whose batches another chunk also holds is a merge's leftover source
 * and is deleted. Each batch becomes one chunk; the newest chunks are merged eight at a time into one (a
 * chunk covering 8^n batches is merged again only with seven others of its size), so each byte is copied
 * a few times and the folder holds tens of files, not thousands; a chunk of {@link #sealBytes} or more is
 * never merged again. Past the bound the oldest chunks are dropped, never the newest.
 */
final class ViewerFiles {
  static final String INDEX = "traces.js";
  static final String CHUNKS = "chunks";
  static final int FANOUT = 8;
  private static final String TEMP = ".tmp";
  private static final String INDEX_HEAD = "wandbIndex(";
  private static final long SEAL_MAX = 4L << 20;

  private final Path dir;
  private final Path chunkDir;
  private final long maxBytes;
  private final long sealBytes;

  ViewerFiles(Path dir, long maxBytes) {
    this.dir = dir;
    this.chunkDir = dir.resolve(CHUNKS);
    this.maxBytes = maxBytes;
    this.sealBytes = Math.min(SEAL_MAX, maxBytes / 16);
  }

  /** One chunk file: the batches {@code from..to}. */
  static final class Chunk {
    final long from;
    final long to;
    final Path file;
    final long bytes;

    Chunk(long from, long to, Path file, long bytes) {
      this.from = from;
      this.to = to;
      this.file = file;
      this.bytes = bytes;
    }

    String name() {
      return CHUNKS + "/" + file.getFileName();
    }
  }

  /**
   * What a JVM does before its first write here: a {@code traces.js} left by an agent version that wrote
   * every trace into it becomes a chunk (its cut-off last line removed first), and a chunk whose last line
   * lacks its newline (a file system that lost the end of a renamed file) loses that line. Returns the
   * files repaired and the bytes each lost.
   */
  Map<String, Long> recover() throws IOException {
    Map<String, Long> repaired = new LinkedHashMap<String, Long>();
    Files.createDirectories(chunkDir);
    Files.deleteIfExists(dir.resolve(INDEX + TEMP));
    Path index = dir.resolve(INDEX);
    if (Files.exists(index) && !startsWith(index, INDEX_HEAD)) {
      long cut = TailRepair.cutOffLastLine(index);
      if (cut > 0) {
        repaired.put(INDEX, cut);
      }
      List<Chunk> chunks = list();
      long seq = chunks.isEmpty() ? 1 : chunks.get(chunks.size() - 1).to + 1;
      Files.move(index, chunkDir.resolve(seq + "-" + seq + ".js"), StandardCopyOption.ATOMIC_MOVE);
    }
    for (Chunk chunk : list()) {
      long cut = TailRepair.cutOffLastLine(chunk.file);
      if (cut > 0) {
        repaired.put(chunk.name(), cut);
      }
    }
    return repaired;
  }

  /**
   * Adds one batch of script lines as a chunk, merges and drops chunks as the rules say, rewrites
   * {@code traces.js}, then deletes what it no longer lists; returns the bytes dropped for the bound.
   */
  long add(byte[] script) throws IOException {
    List<Chunk> chunks = list();
    long seq = chunks.isEmpty() ? 1 : chunks.get(chunks.size() - 1).to + 1;
    chunks.add(write(seq, seq, Collections.<Chunk>emptyList(), script));
    List<Chunk> obsolete = new ArrayList<Chunk>();
    compact(chunks, obsolete);
    long dropped = 0;
    long total = 0;
    for (Chunk chunk : chunks) {
      total += chunk.bytes;
    }
    if (total > maxBytes) {
      long keep = maxBytes / 4 * 3;
      while (total > keep && chunks.size() > 1) {
        Chunk oldest = chunks.remove(0);
        obsolete.add(oldest);
        total -= oldest.bytes;
        dropped += oldest.bytes;
      }
    }
    writeIndex(chunks);
    // Only now, so a page that read the previous traces.js still finds most of what it lists.
    for (Chunk chunk : obsolete) {
      deleteQuietly(chunk.file);
    }
    return dropped;
  }

  /**
   * While the newest chunks are eight (or more) of one size class (by batches held), they become one. A
   * sealed chunk ends the run: the unsealed ones before it could never join a run of eight, so they are
   * merged into one there and then.
   */
  private void compact(List<Chunk> chunks, List<Chunk> obsolete) throws IOException {
    while (true) {
      int last = chunks.size() - 1;
      Chunk newest = chunks.get(last);
      int start = last;
      if (sealed(newest)) {
        while (start > 0 && !sealed(chunks.get(start - 1))) {
          start--;
        }
        if (last - start >= 2) {
          merge(chunks, start, last, obsolete);
        }
        return;
      }
      int tier = tier(newest);
      while (start > 0 && !sealed(chunks.get(start - 1)) && tier(chunks.get(start - 1)) == tier) {
        start--;
      }
      if (last + 1 - start < FANOUT) {
        return;
      }
      merge(chunks, start, last + 1, obsolete);
    }
  }

  /** Replaces {@code chunks[from, to)} with one chunk holding their lines in order. */
  private void merge(List<Chunk> chunks, int from, int to, List<Chunk> obsolete) throws IOException {
    List<Chunk> sources = new ArrayList<Chunk>(chunks.subList(from, to));
    Chunk merged = write(sources.get(0).from, sources.get(sources.size() - 1).to, sources, null);
    chunks.subList(from, to).clear();
    chunks.add(from, merged);
    obsolete.addAll(sources);
  }

  private boolean sealed(Chunk chunk) {
    return chunk.bytes >= sealBytes;
  }

  /** 0 for 1 to 7 batches, 1 for 8 to 63, ...: eight chunks of one tier make one of the next. */
  private static int tier(Chunk chunk) {
    int tier = 0;
    for (long batches = chunk.to - chunk.from + 1; batches >= FANOUT; batches /= FANOUT) {
      tier++;
    }
    return tier;
  }

  /** The chunks in batch order, with a merge's leftover sources and a killed writer's temporary files deleted. */
  List<Chunk> list() throws IOException {
    List<Chunk> found = new ArrayList<Chunk>();
    DirectoryStream<Path> files = Files.newDirectoryStream(chunkDir);
    try {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP)) {
          // Only the lock's holder writes here, and it renames or deletes its own before letting go.
          deleteQuietly(file);
          continue;
        }
        long[] range = range(name);
        if (range != null) {
          found.add(new Chunk(range[0], range[1], file, 0));
        }
      }
    } finally {
      files.close();
    }
    Collections.sort(found, new Comparator<Chunk>() {
      @Override
      public int compare(Chunk a, Chunk b) {
        return a.from != b.from ? (a.from < b.from ? -1 : 1) : (a.to == b.to ? 0 : (a.to > b.to ? -1 : 1));
      }
    });
    List<Chunk> out = new ArrayList<Chunk>(found.size());
    long coveredTo = Long.MIN_VALUE;
    for (Chunk chunk : found) {
      if (chunk.to <= coveredTo) {
        deleteQuietly(chunk.file);
        continue;
      }
      coveredTo = chunk.to;
      out.add(new Chunk(chunk.from, chunk.to, chunk.file, Files.size(chunk.file)));
    }
    return out;
  }

  /** {@code "12-19.js"} is {12, 19}; anything else is not a chunk. */
  static long[] range(String name) {
    int dash = name.indexOf('-');
    if (dash <= 0 || !name.endsWith(".js")) {
      return null;
    }
    try {
      long from = Long.parseLong(name.substring(0, dash));
      long to = Long.parseLong(name.substring(dash + 1, name.length() - 3));
      return from > 0 && to >= from ? new long[] {from, to} : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Writes {@code from-to.js} from the sources' contents (or the given bytes), whole or not at all. */
  private Chunk write(long from, long to, List<Chunk> sources, byte[] bytes) throws IOException {
    Path file = chunkDir.resolve(from + "-" + to + ".js");
    Path temp = chunkDir.resolve(file.getFileName() + TEMP);
    long size = 0;
    try {
      FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      try {
        if (bytes != null) {
          writeFully(out, bytes);
        }
        for (Chunk source : sources) {
          FileChannel in = FileChannel.open(source.file, StandardOpenOption.READ);
          try {
            long length = in.size();
            long position = 0;
            while (position < length) {
              position += in.transferTo(position, length - position, out);
            }
          } finally {
            in.close();
          }
        }
        size = out.size();
      } finally {
        out.close();
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw e;
    }
    return new Chunk(from, to, file, size);
  }

  /** {@code wandbIndex({"chunks":[{"file":"chunks/1-8.js","from":1,"to":8,"bytes":...},...]});}, oldest first. */
  private void writeIndex(List<Chunk> chunks) throws IOException {
    List<Object> list = new ArrayList<Object>(chunks.size());
    for (Chunk chunk : chunks) {
      Map<String, Object> entry = new LinkedHashMap<String, Object>();
      entry.put("file", chunk.name());
      entry.put("from", chunk.from);
      entry.put("to", chunk.to);
      entry.put("bytes", chunk.bytes);
      list.add(entry);
    }
    Map<String, Object> index = Collections.<String, Object>singletonMap("chunks", list);
    byte[] bytes = (INDEX_HEAD + Json.write(index) + ");\n").getBytes(StandardCharsets.UTF_8);
    Path temp = dir.resolve(INDEX + TEMP);
    try {
      Files.write(temp, bytes);
      Files.move(temp, dir.resolve(INDEX), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  private static boolean startsWith(Path file, String head) throws IOException {
    byte[] expected = head.getBytes(StandardCharsets.UTF_8);
    FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
    try {
      ByteBuffer buffer = ByteBuffer.allocate(expected.length);
      while (buffer.hasRemaining()) {
        if (in.read(buffer) < 0) {
          return false;
        }
      }
      return Arrays.equals(expected, buffer.array());
    } finally {
      in.close();
    }
  }

  private static void writeFully(FileChannel out, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  /** A file a browser holds open may refuse deletion on some systems; the next write's listing tries again. */
  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a merge's leftover is deleted by the next listing; a dropped chunk by the next bound check
    }
  }
}
