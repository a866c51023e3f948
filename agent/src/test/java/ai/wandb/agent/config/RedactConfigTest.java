package ai.wandb.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactConfigTest {
  @TempDir Path home;
  private CapturedLog log;

  @BeforeEach
  void captureLog() {
    log = new CapturedLog();
  }

  @AfterEach
  void restoreLog() {
    log.close();
  }

  private static List<String> sources(AgentConfig config) {
    return config.redactPatterns().stream().map(Pattern::pattern).collect(Collectors.toList());
  }

  @Test
  void commasInsideQuantifiersAndClassesBelongToTheExpression() {
    AgentConfig config = new ConfigInputs(home)
        .env("WANDB_REDACT", "order-\\d{4,8}, [a,b]x ,acct\\,\\d+").load();

    assertEquals(List.of("order-\\d{4,8}", "[a,b]x", "acct\\,\\d+"), sources(config));
    assertEquals(List.of(), config.problems());
  }

  @Test
  void agentArgumentsKeepTheWholeListWhenItRunsOverPlainCommas() {
    AgentConfig config = new ConfigInputs(home).args("redact=id-\\d{2,3},pin \\d+,project=demo").load();

    assertEquals(List.of("id-\\d{2,3}", "pin \\d+"), sources(config));
    assertEquals("demo", config.get(Keys.PROJECT));
  }

  @Test
  void anInvalidExpressionIsOneLineAndTheOthersStillApply() {
    AgentConfig config = new ConfigInputs(home).sysprop("wandb.redact", "ok-\\d+,broken(,also-ok").load();

    assertEquals(List.of("ok-\\d+", "also-ok"), sources(config));
    assertEquals(1, log.lines().size(), log.lines().toString());
    String line = log.lines().get(0);
    assertTrue(line.startsWith("[wandb-agent] WARNING: wandb.redact pattern 'broken(' (from -Dwandb.redact)"
        + " is not a valid regular expression: Unclosed group"), line);
    assertTrue(line.endsWith("; skipped"), line);
  }

  @Test
  void maxValueCharsOutOfRangeFallsBackToOneMebibyte() {
    AgentConfig config = new ConfigInputs(home).env("WANDB_MAX_VALUE_CHARS", "10").load();

    assertEquals(1 << 20, config.get(Keys.MAX_VALUE_CHARS));
    assertEquals(List.of("wandb.max_value_chars=10 (from WANDB_MAX_VALUE_CHARS) is not valid: expected an"
        + " integer from 1024 to 100000000; using the default 1048576"), config.problems());
  }
}
