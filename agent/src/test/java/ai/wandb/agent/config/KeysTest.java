package ai.wandb.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeysTest {
  @Test
  void allListsEveryKeyOnceStartingWithTheMasterSwitch() {
    List<ConfigKey<?>> all = Keys.all();
    Set<String> names = new HashSet<>();
    for (ConfigKey<?> key : all) {
      assertTrue(names.add(key.name()), "declared twice: " + key.name());
      assertFalse(key.description().isEmpty(), key.name());
      assertFalse(key.accepted().isEmpty(), key.name());
    }
    assertEquals(Keys.ENABLED, all.get(0));
    assertTrue(
        names.containsAll(
            Set.of(
                "wandb.enabled", "wandb.mode", "wandb.api_key", "wandb.base_url", "wandb.entity",
                "wandb.project", "wandb.name", "wandb.notes", "wandb.tags", "wandb.run_id",
                "wandb.run_group", "wandb.dir", "wf.trace_server_url", "wandb.exporters",
                "wandb.capture_content", "wandb.debug", "wandb.queue_size",
                "wandb.flush_interval_ms", "wandb.shutdown_timeout_ms", "wandb.config_file")));
  }

  @Test
  void defaultsFollowTheWandbSdk() {
    assertEquals("uncategorized", Keys.PROJECT.defaultValue());
    assertEquals("https://api.wandb.ai", Keys.BASE_URL.defaultValue());
    assertEquals("https://trace.wandb.ai", Keys.TRACE_SERVER_URL.defaultValue());
    assertEquals(2048, Keys.QUEUE_SIZE.defaultValue());
  }

  @Test
  void anyInstrumentationSwitchIsAKnownKey() {
    assertTrue(Keys.isKnown("wandb.instrumentation.openai.enabled"));
    assertTrue(Keys.isKnown("wandb.instrumentation.langchain4j-1_0.enabled"));
    assertFalse(Keys.isKnown("wandb.instrumentation.openai.enable"));
    assertFalse(Keys.isKnown("wandb.projet"));
  }

  @Test
  void suggestsTheNearestKeyOnlyWhenItIsCloseEnoughToBeATypo() {
    assertEquals("wandb.project", Keys.suggest("wandb.projet"));
    assertEquals("wandb.queue_size", Keys.suggest("wandb.queuesize"));
    assertNull(Keys.suggest("wandb.something_else_entirely"));
  }

  @Test
  void projectNamesTheWandbServerWouldRejectAreInvalid() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Keys.PROJECT.parse("team/project"));
  }
}
