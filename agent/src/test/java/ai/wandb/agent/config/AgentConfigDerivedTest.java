package ai.wandb.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent does with the raw keys: mode, sinks, on/off switches and where files go. */
class AgentConfigDerivedTest {
  @TempDir Path home;

  private ConfigInputs inputs() {
    return new ConfigInputs(home);
  }

  @Test
  void withoutAnApiKeyTheModeIsOfflineAndTracesGoToFiles() {
    AgentConfig config = inputs().load();
    assertEquals("offline", config.mode());
    assertEquals(List.of("file"), config.exporters());
    assertTrue(config.enabled());
  }

  @Test
  void withAnApiKeyTheModeIsOnlineAndTracesGoToWeaveAndTheRun() {
    AgentConfig config = inputs().env("WANDB_API_KEY", "key").load();
    assertEquals("online", config.mode());
    assertEquals(List.of("weave", "run"), config.exporters());
  }

  @Test
  void offlineModeWithAnApiKeyWritesFiles() {
    AgentConfig config = inputs().env("WANDB_API_KEY", "key").env("WANDB_MODE", "OFFLINE").load();
    assertEquals("offline", config.mode());
    assertEquals(List.of("file"), config.exporters());
  }

  @Test
  void explicitExportersWin() {
    AgentConfig config = inputs().env("WANDB_API_KEY", "key").args("exporters=otlp,FILE").load();
    assertEquals(List.of("otlp", "file"), config.exporters());
  }

  @Test
  void disabledModeTurnsTheAgentOff() {
    AgentConfig config = inputs().env("WANDB_MODE", "disabled").load();
    assertFalse(config.enabled());
    assertEquals("disabled", config.mode());
  }

  @Test
  void enabledFalseTurnsTheAgentOff() {
    assertFalse(inputs().sysprop("wandb.enabled", "false").load().enabled());
  }

  @Test
  void instrumentationCanBeSwitchedOffThroughTheEnvironment() {
    AgentConfig config = inputs().env("WANDB_INSTRUMENTATION_OPENAI_ENABLED", "false").load();
    assertFalse(config.instrumentationEnabled("openai"));
    assertTrue(config.instrumentationEnabled("langchain4j"));
    assertFalse(config.get(Keys.instrumentation("openai")));
  }

  @Test
  void instrumentationSwitchFollowsThePrecedenceOfFixedKeys() {
    AgentConfig config =
        inputs()
            .args("instrumentation.openai-java.enabled=true")
            .sysprop("wandb.instrumentation.openai-java.enabled", "false")
            .sysprop("wandb.instrumentation.langchain4j.enabled", "false")
            .env("WANDB_INSTRUMENTATION_LANGCHAIN4J_ENABLED", "true")
            .load();
    assertTrue(config.instrumentationEnabled("openai-java"));
    assertFalse(config.instrumentationEnabled("langchain4j"));
    assertEquals(List.of(), config.problems());
  }

  @Test
  void dashAndUnderscoreNameTheSameInstrumentation() {
    AgentConfig config = inputs().env("WANDB_INSTRUMENTATION_OPENAI_JAVA_ENABLED", "false").load();
    assertFalse(config.instrumentationEnabled("openai-java"));
  }

  @Test
  void tracesGoUnderTheWorkingDirectoryByDefault() {
    assertEquals(home.resolve("app/wandb/traces"), inputs().load().tracesDir());
  }

  @Test
  void tracesGoUnderWandbDirWhenSet() {
    Path dir = home.resolve("out");
    assertEquals(
        dir.resolve("wandb/traces"), inputs().env("WANDB_DIR", dir.toString()).load().tracesDir());
    assertEquals(
        home.resolve("app/rel/wandb/traces"), inputs().args("dir=rel").load().tracesDir());
  }
}
