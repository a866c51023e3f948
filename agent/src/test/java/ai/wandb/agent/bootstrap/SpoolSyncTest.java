package ai.wandb.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolSyncTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int sync(String folder) {
    return SpoolSync.run(folder, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void nothingToUploadIsSuccess() {
    assertEquals(0, sync(dir.toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("nothing to upload"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aNamedFolderThatDoesNotExistIsAUsageError() {
    assertEquals(2, sync(dir.resolve("typo").toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such folder"), err.toString(StandardCharsets.UTF_8));
  }
}
