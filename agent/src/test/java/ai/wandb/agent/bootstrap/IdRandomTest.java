package ai.wandb.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.wandb.agent.export.RunInfo;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdRandomTest {
  @Test
  void everySourceItMakesGivesDifferentRunIds() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(RunInfo.newId(IdRandom.create()));
    }
    assertEquals(1000, ids.size());
  }
}
