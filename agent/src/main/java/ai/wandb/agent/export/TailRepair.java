package ai.wandb.agent.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Line-file surgery for the local sink: whole lines only, the file replaced atomically or cut in place. */
final class TailRepair {
  /** The suffix of {@link #keepNewest}'s temporary file; one a kill left behind is deleted by the next writer. */
  static final String TEMP = ".trim";
  private static final int CHUNK = 8192;

  private TailRepair() {}

  /** Removes a last line that lacks its newline; returns the bytes removed (0 when the file is whole or absent). */
  static long cutOffLastLine(Path file) throws IOException {
    if (!Files.exists(file)) {
      return 0;
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long size = channel.size();
      if (size == 0 || byteAt(channel, size - 1) == '\n') {
        return 0;
      }
      long keep = lastNewlineBefore(channel, size) + 1;
      channel.truncate(keep);
      return size - keep;
    } finally {
      channel.close();
    }
  }

  /**
   * Keeps the newest lines that fit in {@code keepBytes} (starting after a newline), through a temporary
   * file moved over the old one, so a reader sees the old file or the new one, never a half; returns the bytes dropped.
   */
  static long keepNewest(Path file, long keepBytes) throws IOException {
    FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
    long size;
    long from;
    Path temp = file.resolveSibling(file.getFileName() + TEMP);
    try {
      size = in.size();
      if (size <= keepBytes) {
        return 0;
      }
      from = firstNewlineFrom(in, size - keepBytes) + 1;
      FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      try {
        long position = from;
        while (position < size) {
          position += in.transferTo(position, size - position, out);
        }
      } finally {
        out.close();
      }
    } finally {
      in.close();
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return from;
  }

  private static byte byteAt(FileChannel channel, long position) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    channel.read(one, position);
    return one.get(0);
  }

  /** The position of the last newline before {@code end}, or -1. */
  private static long lastNewlineBefore(FileChannel channel, long end) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    long chunkEnd = end;
    while (chunkEnd > 0) {
      long chunkStart = Math.max(0, chunkEnd - CHUNK);
      buffer.clear();
      buffer.limit((int) (chunkEnd - chunkStart));
      readFully(channel, buffer, chunkStart);
      for (int i = buffer.limit() - 1; i >= 0; i--) {
        if (buffer.get(i) == '\n') {
          return chunkStart + i;
        }
      }
      chunkEnd = chunkStart;
    }
    return -1;
  }

  /** The position of the first newline at or after {@code start}, or the last byte when there is none. */
  private static long firstNewlineFrom(FileChannel channel, long start) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    long size = channel.size();
    for (long chunkStart = start; chunkStart < size; chunkStart += CHUNK) {
      buffer.clear();
      buffer.limit((int) Math.min(CHUNK, size - chunkStart));
      readFully(channel, buffer, chunkStart);
      for (int i = 0; i < buffer.limit(); i++) {
        if (buffer.get(i) == '\n') {
          return chunkStart + i;
        }
      }
    }
    return size - 1;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        break;
      }
      at += n;
    }
  }
}
