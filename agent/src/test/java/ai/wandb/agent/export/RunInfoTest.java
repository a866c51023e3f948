package ai.wandb.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RunInfoTest {
  @ParameterizedTest
  @CsvSource({
    "'/opt/apps/github-url-assistant.jar what is java', github-url-assistant",
    "'com.acme.Main --port 80', Main",
    "'Main', Main",
    "'', java",
  })
  void theRunIsNamedAfterTheJarOrTheMainClass(String command, String name) {
    assertEquals(name, RunInfo.nameFromCommand(command));
  }

  @Test
  void runIdsUseTheWandbAlphabet() {
    String id = RunInfo.newId(new Random(7));
    assertEquals(8, id.length());
    assertTrue(id.matches("[a-z0-9]{8}"), id);
  }
}
