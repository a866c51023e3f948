package ai.wandb.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {
  @Test
  void envNameUpperCasesAndReplacesDotsAndDashes() {
    assertEquals("WANDB_PROJECT", Keys.PROJECT.envName());
    assertEquals("WF_TRACE_SERVER_URL", Keys.TRACE_SERVER_URL.envName());
    assertEquals(
        "WANDB_INSTRUMENTATION_OPENAI_JAVA_ENABLED",
        Keys.instrumentation("openai-java").envName());
  }

  @Test
  void boolAcceptsTrueAndFalseIgnoringCaseOnly() {
    ConfigKey<Boolean> key = ConfigKey.bool("wandb.x", true, "x");
    assertEquals(false, key.parse("FALSE"));
    assertEquals(true, key.parse("True"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> key.parse("yes"));
    assertEquals("expected true or false", e.getMessage());
    assertEquals("true or false", key.accepted());
  }

  @Test
  void intRangeRejectsNonNumbersAndValuesOutsideTheRange() {
    ConfigKey<Integer> key = ConfigKey.intRange("wandb.x", 5, 1, 10, "x");
    assertEquals(10, key.parse("10"));
    assertThrows(IllegalArgumentException.class, () -> key.parse("11"));
    assertThrows(IllegalArgumentException.class, () -> key.parse("0"));
    assertThrows(IllegalArgumentException.class, () -> key.parse("abc"));
    assertThrows(IllegalArgumentException.class, () -> key.parse("99999999999"));
    assertEquals("an integer from 1 to 10", key.accepted());
  }

  @Test
  void longRangeAcceptsValuesBeyondIntegers() {
    ConfigKey<Long> key = ConfigKey.longRange("wandb.x", 1L, 0L, Long.MAX_VALUE, "x");
    assertEquals(5_000_000_000L, key.parse("5000000000"));
    assertThrows(IllegalArgumentException.class, () -> key.parse("-1"));
  }

  @Test
  void oneOfMatchesIgnoringCaseAndNormalisesToLowerCase() {
    ConfigKey<String> key = ConfigKey.oneOf("wandb.x", null, "x", "online", "offline", "disabled");
    assertEquals("offline", key.parse("OFFLINE"));
    assertThrows(IllegalArgumentException.class, () -> key.parse("dry"));
    assertEquals("online, offline or disabled", key.accepted());
  }

  @Test
  void listTrimsDropsEmptyItemsAndChecksAllowedItems() {
    assertEquals(List.of("a", "b"), ConfigKey.list("wandb.x", "x").parse(" a, ,b ,"));
    ConfigKey<List<String>> exporters = ConfigKey.list("wandb.x", "x", "file", "weave");
    assertEquals(List.of("file", "weave"), exporters.parse("FILE,weave"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> exporters.parse("file,weav"));
    assertEquals("'weav' is not one of file or weave", e.getMessage());
  }

  @Test
  void urlDropsTrailingSlashesAndRejectsOtherSchemes() {
    ConfigKey<String> key = ConfigKey.url("wandb.x", null, "x");
    assertEquals("http://localhost:8080", key.parse("http://localhost:8080//"));
    assertThrows(IllegalArgumentException.class, () -> key.parse("api.wandb.ai"));
    assertThrows(IllegalArgumentException.class, () -> key.parse("https://"));
  }

  @Test
  void secretKeyDisplaysItsValueRedacted() {
    assertTrue(Keys.API_KEY.secret());
    assertEquals("<redacted>", Keys.API_KEY.display("abc"));
    assertEquals("a,b", Keys.TAGS.display(List.of("a", "b")));
  }
}
