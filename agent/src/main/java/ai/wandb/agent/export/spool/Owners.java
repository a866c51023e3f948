package ai.wandb.agent.export.spool;

import ai.wandb.agent.api.AgentLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which JVM wrote a spool's entries, and whether it still lives: each writer holds a lock on
 * {@code owners/<token>.lock} in the spool for its whole life (the OS frees it when the JVM exits or is
 * killed), and writes the time into it through the locked channel whenever it spools, so its
 * modification time is when it was last heard from. Another process that can take the lock knows the
 * writer is gone. (Only through that channel: with POSIX locks, any other descriptor of the file that
 * this JVM closed, even one opened to set its time, would free the lock.)
 */
public final class Owners {
  /** The writers of this JVM. */
  private static final Set<String> HELD = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

  private final Path dir;
  private final String token = UUID.randomUUID().toString();
  private FileChannel channel;
  private FileLock lock;

  public Owners(Path spoolDir) {
    this.dir = spoolDir.resolve("owners");
  }

  /** This JVM's token, written beside its entries. */
  public String token() {
    return token;
  }

  /** Takes this JVM's lock (once) and marks now as the last time it was heard from. */
  public synchronized void touch() {
    try {
      if (lock == null) {
        Spool.createPrivateDir(dir.getParent());
        Spool.createPrivateDir(dir);
        channel = FileChannel.open(file(token), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = channel.tryLock();
        HELD.add(token);
      }
      byte[] now = String.format("%020d", System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII);
      channel.write(ByteBuffer.wrap(now), 0);
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("marking the spool owner " + file(token) + ": " + e);
    }
  }

  /**
   * When the writer {@code token} was last heard from, if it is gone; -1 while it lives (or it is
   * this JVM). A writer without a lock file (already cleaned up) is gone since the epoch.
   */
  public long goneSince(String token) {
    if (HELD.contains(token)) {
      return -1; // a writer of this JVM: probing its file would free its lock
    }
    Path file = file(token);
    if (!Files.exists(file)) {
      return 0;
    }
    try (FileChannel other = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock probe = other.tryLock();
      if (probe == null) {
        return -1;
      }
      probe.release();
      return Files.getLastModifiedTime(file).toMillis();
    } catch (OverlappingFileLockException e) {
      return -1; // held by another object of this JVM
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("probing the spool owner " + file + ": " + e);
      return -1;
    }
  }

  /**
   * This JVM is done writing and nothing of it waits in the spool: gives up its lock and deletes its
   * file, so the owners directory does not grow by one file per run.
   */
  public synchronized void release() {
    if (lock == null) {
      return;
    }
    try {
      Files.deleteIfExists(file(token));
      lock.release();
      channel.close();
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("releasing the spool owner " + file(token) + ": " + e);
    }
    lock = null;
    HELD.remove(token);
  }

  /** Deletes a gone writer's lock file once nothing of it is left in the spool. */
  public void forget(String token) {
    if (!HELD.contains(token)) {
      try {
        Files.deleteIfExists(file(token));
      } catch (IOException e) {
        AgentLog.debug("removing the spool owner " + file(token) + ": " + e);
      }
    }
  }

  private Path file(String owner) {
    return dir.resolve(owner.replaceAll("[^A-Za-z0-9-]", "") + ".lock");
  }
}
