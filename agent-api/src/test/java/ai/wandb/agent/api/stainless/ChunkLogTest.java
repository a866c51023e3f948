package ai.wandb.agent.api.stainless;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkLogTest {
  @Test
  void pastItsBoundALogKeepsOnlyTheLastTwoChunksAndCountsTheRest() {
    ChunkLog log = new ChunkLog();
    for (int i = 0; i < ChunkLog.MAX + 10; i++) {
      log.add(i);
    }

    List<Object> kept = log.snapshot();
    assertEquals(ChunkLog.MAX + 2, kept.size());
    assertEquals(ChunkLog.MAX + 8, kept.get(ChunkLog.MAX));
    assertEquals(ChunkLog.MAX + 9, kept.get(ChunkLog.MAX + 1));
    assertEquals(8, log.dropped());
  }
}
