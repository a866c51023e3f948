package ai.wandb.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTableTest {
  @Test
  void hasAHeaderAndOneRowPerKeyPlusTheInstrumentationSwitch() {
    List<String> lines = ConfigTable.markdown().lines().toList();
    assertEquals("| Key | Environment | Default | Accepted values | Description |", lines.get(0));
    assertEquals(2 + Keys.all().size() + 1, lines.size());
    assertEquals(
        "| `wandb.queue_size` | `WANDB_QUEUE_SIZE` | `2048` | an integer from 16 to 1000000 |"
            + " Finished traces waiting for the exporter; when full, new traces are dropped and"
            + " counted. |",
        lines.get(2 + Keys.all().indexOf(Keys.QUEUE_SIZE)));
    assertTrue(
        lines.get(lines.size() - 1)
            .startsWith(
                "| `wandb.instrumentation.<name>.enabled` | `WANDB_INSTRUMENTATION_<NAME>_ENABLED` |"
                    + " `true` |"));
  }

  @Test
  void describesANullDefaultInWords() {
    String modeRow = ConfigTable.markdown().lines().filter(l -> l.startsWith("| `wandb.mode`")).findFirst().orElseThrow();
    assertTrue(modeRow.contains("| online when an API key is known, else offline |"), modeRow);
  }
}
