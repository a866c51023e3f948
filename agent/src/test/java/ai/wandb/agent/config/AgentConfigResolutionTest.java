package ai.wandb.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigResolutionTest {
  @TempDir Path home;

  private ConfigInputs inputs() {
    return new ConfigInputs(home);
  }

  @Test
  void nothingSetGivesEveryDefault() {
    AgentConfig config = inputs().load();
    for (ConfigKey<?> key : Keys.all()) {
      assertEquals(key.defaultValue(), config.get(key), key.name());
    }
    assertEquals(List.of(), config.problems());
  }

  @Test
  void agentArgumentsBeatSystemProperties() {
    AgentConfig config =
        inputs().args("project=from-args").sysprop("wandb.project", "from-sysprop").load();
    assertEquals("from-args", config.get(Keys.PROJECT));
  }

  @Test
  void systemPropertiesBeatTheEnvironment() {
    AgentConfig config =
        inputs().sysprop("wandb.project", "from-sysprop").env("WANDB_PROJECT", "from-env").load();
    assertEquals("from-sysprop", config.get(Keys.PROJECT));
  }

  @Test
  void theEnvironmentBeatsTheConfigFile() throws IOException {
    Path file = writeProperties("wandb.project", "from-file");
    AgentConfig config =
        inputs()
            .sysprop("wandb.config_file", file.toString())
            .env("WANDB_PROJECT", "from-env")
            .load();
    assertEquals("from-env", config.get(Keys.PROJECT));
  }

  @Test
  void theConfigFileBeatsTheDefault() throws IOException {
    Path file = writeProperties("wandb.project", "from-file");
    AgentConfig config = inputs().sysprop("wandb.config_file", file.toString()).load();
    assertEquals("from-file", config.get(Keys.PROJECT));
    assertEquals(List.of(), config.problems());
  }

  @Test
  void configFileIsFoundThroughAgentArgumentsAndTheEnvironmentToo() throws IOException {
    Path file = writeProperties("wandb.entity", "acme");
    assertEquals("acme", inputs().args("config_file=" + file).load().get(Keys.ENTITY));
    assertEquals("acme", inputs().env("WANDB_CONFIG_FILE", file.toString()).load().get(Keys.ENTITY));
  }

  @Test
  void configFilePathIsRelativeToTheWorkingDirectoryAndExpandsTilde() throws IOException {
    Path file = writeProperties("wandb.entity", "acme");
    Files.createDirectories(home.resolve("app"));
    assertEquals(
        "acme", inputs().sysprop("wandb.config_file", "~/" + file.getFileName()).load().get(Keys.ENTITY));
    assertEquals(
        "acme", inputs().sysprop("wandb.config_file", "../" + file.getFileName()).load().get(Keys.ENTITY));
  }

  @Test
  void prefixlessAgentArgumentMeansAWandbKey() {
    AgentConfig config = inputs().args("project=demo,entity=acme").load();
    assertEquals("demo", config.get(Keys.PROJECT));
    assertEquals("acme", config.get(Keys.ENTITY));
  }

  @Test
  void fullKeyNamesWorkInAgentArguments() {
    AgentConfig config =
        inputs().args("wandb.project=demo,wf.trace_server_url=http://localhost:9000/").load();
    assertEquals("demo", config.get(Keys.PROJECT));
    assertEquals("http://localhost:9000", config.get(Keys.TRACE_SERVER_URL));
  }

  @Test
  void agentArgumentValueMayContainEqualsSigns() {
    assertEquals("a=b=c", inputs().args("notes=a=b=c").load().get(Keys.NOTES));
  }

  @Test
  void escapedCommaStaysInsideTheAgentArgumentValue() {
    AgentConfig config = inputs().args("tags=a\\,b,notes=x\\,y,project=demo").load();
    assertEquals(List.of("a", "b"), config.get(Keys.TAGS));
    assertEquals("x,y", config.get(Keys.NOTES));
    assertEquals("demo", config.get(Keys.PROJECT));
  }

  @Test
  void commasInsideBracketsStayInTheTraceMethodsAgentArgument() {
    AgentConfig config =
        inputs().args("trace.methods=com.acme.Assistant[answer,plan];com.acme.Tools[*],project=demo").load();
    assertEquals("com.acme.Assistant[answer,plan];com.acme.Tools[*]", config.get(Keys.TRACE_METHODS));
    assertEquals("demo", config.get(Keys.PROJECT));
    assertEquals(List.of(), config.problems());
  }

  @Test
  void traceMethodsAreReadFromTheEnvironment() {
    AgentConfig config = inputs().env("WANDB_TRACE_METHODS", "a.B[c]").load();
    assertEquals("a.B[c]", config.get(Keys.TRACE_METHODS));
  }

  @Test
  void listValueRunsOnOverPlainCommasInAgentArguments() {
    AgentConfig config = inputs().args("exporters=file,otlp,project=demo,tags=a,b").load();
    assertEquals(List.of("file", "otlp"), config.exporters());
    assertEquals("demo", config.get(Keys.PROJECT));
    assertEquals(List.of("a", "b"), config.get(Keys.TAGS));
    assertEquals(List.of(), config.problems());
  }

  @Test
  void environmentSpellingIsTheUpperCasedKeyWithUnderscores() {
    AgentConfig config =
        inputs()
            .env("WANDB_QUEUE_SIZE", "100")
            .env("WF_TRACE_SERVER_URL", "http://localhost:9000")
            .env("WANDB_MODE", "offline")
            .load();
    assertEquals(100, config.get(Keys.QUEUE_SIZE));
    assertEquals("http://localhost:9000", config.get(Keys.TRACE_SERVER_URL));
    assertEquals("offline", config.mode());
  }

  @Test
  void emptyValueCountsAsUnsetSoTheNextSpellingApplies() {
    AgentConfig config = inputs().sysprop("wandb.entity", " ").env("WANDB_ENTITY", "acme").load();
    assertEquals("acme", config.get(Keys.ENTITY));
  }

  @Test
  void theWandbSdksOwnEnvironmentVariablesAreNotReported() {
    AgentConfig config = inputs().env("WANDB_SILENT", "true").env("WANDB_RESUME", "allow").load();
    assertEquals(List.of(), config.problems());
  }

  @Test
  void systemPropertiesOutsideTheWandbNamespaceAreIgnored() {
    AgentConfig config = inputs().sysprop("java.version", "17").sysprop("wf.other", "x").load();
    assertEquals(List.of(), config.problems());
  }

  @Test
  void apiKeySourceNamesTheSpellingNotTheKey() {
    AgentConfig config = inputs().env("WANDB_API_KEY", "k".repeat(40)).load();
    assertEquals("k".repeat(40), config.apiKey());
    assertEquals("WANDB_API_KEY", config.apiKeySource());
    assertEquals("-Dwandb.api_key", inputs().sysprop("wandb.api_key", "k").load().apiKeySource());
    assertEquals("agent arguments", inputs().args("api_key=k").load().apiKeySource());
  }

  @Test
  void noApiKeyAnywhereLeavesItNull() {
    AgentConfig config = inputs().load();
    assertNull(config.apiKey());
    assertNull(config.apiKeySource());
    assertFalse(config.toString().contains("null"), config.toString());
  }

  private Path writeProperties(String name, String value) throws IOException {
    Properties properties = new Properties();
    properties.setProperty(name, value);
    Path file = home.resolve("wandb-agent.properties");
    try (var out = Files.newBufferedWriter(file)) {
      properties.store(out, null);
    }
    return file;
  }
}
