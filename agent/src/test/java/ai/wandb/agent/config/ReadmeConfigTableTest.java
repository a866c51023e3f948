package ai.wandb.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The README's configuration table is the one declaration in {@link Keys}, rendered. */
class ReadmeConfigTableTest {
  private static final String START = "<!-- config-table:start -->\n";
  private static final String END = "<!-- config-table:end -->";

  @Test
  void theReadmeTableMatchesTheDeclaredKeys() throws Exception {
    Path readme = Paths.get("..", "README.md");
    String text = Files.readString(readme);
    String table = text.substring(text.indexOf(START) + START.length(), text.indexOf(END));
    assertEquals(ConfigTable.markdown().trim(), table.trim(),
        "regenerate the README table from ConfigTable.markdown()");
  }
}
