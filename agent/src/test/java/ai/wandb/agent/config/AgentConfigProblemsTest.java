package ai.wandb.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigProblemsTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef01234567";

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

  private ConfigInputs inputs() {
    return new ConfigInputs(home);
  }

  @Test
  void badIntegerFallsBackToTheDefaultWithOneLineNamingKeyValueAndAcceptedValues() {
    AgentConfig config = inputs().sysprop("wandb.queue_size", "abc").load();

    assertEquals(2048, config.get(Keys.QUEUE_SIZE));
    String line =
        "wandb.queue_size=abc (from -Dwandb.queue_size) is not valid: expected an integer from 16"
            + " to 1000000; using the default 2048";
    assertEquals(List.of("[wandb-agent] WARNING: " + line), log.lines());
    assertEquals(List.of(line), config.problems());
  }

  @Test
  void integerOutOfRangeFallsBackToTheDefault() {
    AgentConfig config = inputs().env("WANDB_FLUSH_INTERVAL_MS", "5").load();
    assertEquals(1000, config.get(Keys.FLUSH_INTERVAL_MS));
    assertEquals(
        List.of(
            "wandb.flush_interval_ms=5 (from WANDB_FLUSH_INTERVAL_MS) is not valid: expected an"
                + " integer from 10 to 60000; using the default 1000"),
        config.problems());
  }

  @Test
  void badBooleanFallsBackToTheDefaultWithOneLine() {
    AgentConfig config = inputs().args("capture_content=nope").load();
    assertTrue(config.get(Keys.CAPTURE_CONTENT));
    assertEquals(
        List.of(
            "wandb.capture_content=nope (from agent arguments) is not valid: expected true or"
                + " false; using the default true"),
        config.problems());
    assertEquals(1, log.lines().size());
  }

  @Test
  void badModeFallsBackToTheDefaultDescribedInWords() {
    AgentConfig config = inputs().env("WANDB_MODE", "dryrunx").load();
    assertEquals("offline", config.mode());
    assertEquals(
        List.of(
            "wandb.mode=dryrunx (from WANDB_MODE) is not valid: expected online, offline or"
                + " disabled; using the default: online when an API key is known, else offline"),
        config.problems());
  }

  @Test
  void badValueDoesNotFallThroughToALowerSpelling() {
    AgentConfig config =
        inputs().sysprop("wandb.queue_size", "x").env("WANDB_QUEUE_SIZE", "100").load();
    assertEquals(2048, config.get(Keys.QUEUE_SIZE));
  }

  @Test
  void badExporterNamesTheItem() {
    AgentConfig config = inputs().args("exporters=file,weav").load();
    assertEquals(List.of("file"), config.exporters());
    assertEquals(
        List.of(
            "wandb.exporters=file,weav (from agent arguments) is not valid: 'weav' is not one of"
                + " file, weave, run or otlp; using the default: weave,run when online with an API"
                + " key, else file"),
        config.problems());
  }

  @Test
  void secretIsRedactedInTheBadValueLine() {
    AgentConfig config = inputs().env("WANDB_API_KEY", SECRET + " trailing").load();
    assertEquals(
        List.of(
            "wandb.api_key=<redacted> (from WANDB_API_KEY) is not valid: expected text without"
                + " whitespace; ignored"),
        config.problems());
    assertFalse(log.text().contains(SECRET));
  }

  @Test
  void toStringNeverContainsTheApiKey() {
    AgentConfig config = inputs().args("api_key=" + SECRET + ",project=demo").load();
    assertEquals(SECRET, config.apiKey());
    assertFalse(config.toString().contains(SECRET), config.toString());
    assertTrue(config.toString().contains("apiKey=<redacted> from agent arguments"));
    assertTrue(config.toString().contains("wandb.project=demo"));
  }

  @Test
  void unknownKeyInAgentArgumentsSuggestsTheNearestKnownKey() {
    AgentConfig config = inputs().args("projet=demo").load();
    assertEquals(
        List.of("unknown key wandb.projet (from agent arguments); did you mean wandb.project?"),
        config.problems());
    assertEquals("uncategorized", config.get(Keys.PROJECT));
  }

  @Test
  void aMistypedEnvironmentVariableGetsTheSameDidYouMeanAsASystemProperty() {
    AgentConfig config = inputs().env("WANDB_PROJCET", "demo").env("WF_TRACE_SERVER_ULR", "https://x").load();
    assertEquals(
        List.of(
            "unknown environment variable WANDB_PROJCET; did you mean WANDB_PROJECT?",
            "unknown environment variable WF_TRACE_SERVER_ULR; did you mean WF_TRACE_SERVER_URL?"),
        config.problems());
    assertEquals("uncategorized", config.get(Keys.PROJECT));
  }

  @Test
  void otherToolsWandbVariablesAndFarOffNamesStayUnmentioned() {
    AgentConfig config = inputs().env("WANDB_CONFIG_DIR", "/tmp").env("WANDB_SILENT", "true")
        .env("WANDB_X_LABEL", "a").env("WANDB_SOMETHING_ELSE_ENTIRELY", "1").env("WANDB_PROJECT", "demo").load();
    assertEquals(List.of(), config.problems());
  }

  @Test
  void unknownWandbSystemPropertyIsReportedWithoutASuggestionWhenNothingIsClose() {
    AgentConfig config = inputs().sysprop("wandb.totally_different", "1").load();
    assertEquals(
        List.of("unknown key wandb.totally_different (from system properties); ignored"),
        config.problems());
  }

  @Test
  void unknownKeyInTheConfigFileIsReported() throws IOException {
    Path file = home.resolve("agent.properties");
    Files.writeString(file, "wandb.entitty=acme\n");
    AgentConfig config = inputs().sysprop("wandb.config_file", file.toString()).load();
    assertEquals(
        List.of(
            "unknown key wandb.entitty (from config file "
                + file
                + "); did you mean wandb.entity?"),
        config.problems());
  }

  @Test
  void malformedAgentArgumentItemIsSkippedWithOneLine() {
    AgentConfig config = inputs().args("debug,project=demo").load();
    assertEquals("demo", config.get(Keys.PROJECT));
    assertEquals(
        List.of(
            "agent argument 'debug' has no value (expected key=value, e.g. debug=...); skipped"),
        config.problems());
  }

  @Test
  void malformedAgentArgumentThatIsNoKeyNameIsNotEchoedBecauseItMayBeASecret() {
    AgentConfig config = inputs().args("project=demo," + SECRET).load();
    assertEquals(
        List.of("agent argument #2 is not key=value; skipped"), config.problems());
    assertFalse(log.text().contains(SECRET));
  }

  @Test
  void missingConfigFileIsOneLineAndTheRestStillLoads() {
    Path missing = home.resolve("missing.properties");
    AgentConfig config =
        inputs().sysprop("wandb.config_file", missing.toString()).env("WANDB_PROJECT", "p").load();
    assertEquals("p", config.get(Keys.PROJECT));
    assertEquals(
        List.of(
            "config file "
                + missing
                + " (from -Dwandb.config_file) cannot be read: no such file; ignored"),
        config.problems());
  }

  @Test
  void onlineModeWithoutAnApiKeySaysWhereTracesGo() {
    AgentConfig config = inputs().env("WANDB_MODE", "online").load();
    assertEquals("online", config.mode());
    assertEquals(List.of("file"), config.exporters());
    assertEquals(
        List.of(
            "wandb.mode=online (from WANDB_MODE) but no API key was found (WANDB_API_KEY,"
                + " wandb.api_key or ~/.netrc); traces are written to "
                + config.tracesDir()),
        config.problems());
  }
}
