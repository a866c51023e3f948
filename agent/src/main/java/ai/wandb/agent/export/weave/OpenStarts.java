package ai.wandb.agent.export.weave;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.export.spool.Spool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * In {@code calls/complete} mode a call goes out whole, so a start waits for its end. These waiting
 * starts are kept in the spool's {@code open-starts.ndjson} (one spool entry a line, with its writer),
 * rewritten whole through a temporary file before the segment that brought them is deleted: a JVM
 * that exits or is killed while calls run leaves them on disk for the next start or {@code sync}.
 * Read and written only under the spool's replay lock (or by {@code sync}).
 */
final class OpenStarts {
  static final int MAX = 10000;
  /** Not {@code .jsonl}: the spool takes those for segments. */
  private static final String FILE = "open-starts.ndjson";

  private final Spool spool;
  private final Path file;

  OpenStarts(Spool spool) {
    this.spool = spool;
    this.file = spool.dir().resolve(FILE);
  }

  boolean exists() {
    return Files.exists(file);
  }

  @Override
  public String toString() {
    return file.toString();
  }

  /** The waiting start entries by call id, oldest first; empty when there are none or the file is unreadable. */
  Map<String, Map<String, Object>> load() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<String, Map<String, Object>>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (Map<String, Object> entry : Spool.read(file)) {
        out.put((String) WeaveDelivery.fields(entry).get("id"), entry);
      }
    } catch (NoSuchFileException gone) {
      return out;
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("reading " + file + ": " + e);
    }
    return out;
  }

  /** Replaces the file with {@code starts} (deletes it when empty); false when the disk refused. */
  boolean save(Map<String, Map<String, Object>> starts) {
    if (!starts.isEmpty()) {
      return spool.writeFile(file, new ArrayList<Map<String, Object>>(starts.values()));
    }
    try {
      Files.deleteIfExists(file);
      return true;
    } catch (IOException e) {
      AgentLog.debug("deleting " + file + ": " + e);
      return false;
    }
  }
}
