package ai.wandb.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetrcTest {
  @TempDir Path home;

  private ConfigInputs inputs() {
    return new ConfigInputs(home);
  }

  private void writeNetrc(String text) throws IOException {
    Files.writeString(home.resolve(".netrc"), text);
  }

  @Test
  void apiKeyIsThePasswordOfTheBaseUrlHostAsWandbLoginWritesIt() throws IOException {
    writeNetrc(
        "machine example.com\n  login bob\n  password other\n"
            + "machine api.wandb.ai\n  login user\n  password netrc-key\n");
    AgentConfig config = inputs().load();
    assertEquals("netrc-key", config.apiKey());
    assertEquals("~/.netrc (api.wandb.ai)", config.apiKeySource());
    assertEquals("online", config.mode());
  }

  @Test
  void tokensMaySitOnOneLineSeparatedByAnyWhitespace() throws IOException {
    writeNetrc("machine localhost\tlogin user password local-key machine api.wandb.ai password k");
    AgentConfig config = inputs().env("WANDB_BASE_URL", "http://localhost:8080").load();
    assertEquals("local-key", config.apiKey());
    assertEquals("~/.netrc (localhost)", config.apiKeySource());
  }

  @Test
  void hostWithPortIsPreferredOverTheBareHost() throws IOException {
    writeNetrc("machine localhost password bare\nmachine localhost:8080 password with-port\n");
    AgentConfig config = inputs().env("WANDB_BASE_URL", "http://localhost:8080").load();
    assertEquals("with-port", config.apiKey());
  }

  @Test
  void defaultEntryIsUsedWhenNoMachineMatches() throws IOException {
    writeNetrc("machine example.com password other\ndefault login anonymous password fallback\n");
    AgentConfig config = inputs().load();
    assertEquals("fallback", config.apiKey());
    assertEquals("~/.netrc (default)", config.apiKeySource());
  }

  @Test
  void netrcEnvironmentVariableOverridesTheHomeFile() throws IOException {
    writeNetrc("machine api.wandb.ai password home-key\n");
    Path other = home.resolve("other-netrc");
    Files.writeString(other, "machine api.wandb.ai password override-key\n");
    AgentConfig config = inputs().env("NETRC", other.toString()).load();
    assertEquals("override-key", config.apiKey());
    assertEquals("$NETRC " + other + " (api.wandb.ai)", config.apiKeySource());
  }

  @Test
  void explicitKeyBeatsNetrc() throws IOException {
    writeNetrc("machine api.wandb.ai password netrc-key\n");
    assertEquals("env-key", inputs().env("WANDB_API_KEY", "env-key").load().apiKey());
  }

  @Test
  void noMatchingMachineMeansNoKey() throws IOException {
    writeNetrc("machine example.com password other\n");
    assertNull(inputs().load().apiKey());
  }

  @Test
  void macroDefinitionsAndCommentsAreNotReadAsEntries() {
    Netrc netrc =
        Netrc.parse(
            "# machine api.wandb.ai password commented\n"
                + "macdef init\nmachine api.wandb.ai password in-macro\n\n"
                + "machine api.wandb.ai login u password real\n");
    assertEquals("real", netrc.password("api.wandb.ai"));
  }

  @Test
  void missingNetrcNamedByTheEnvironmentIsOneLineWithoutAKey() {
    Path missing = home.resolve("nope");
    AgentConfig config = inputs().env("NETRC", missing.toString()).load();
    assertNull(config.apiKey());
    assertEquals(
        List.of("cannot read $NETRC " + missing + " (no such file); no API key taken from it"),
        config.problems());
  }

  @Test
  void missingHomeNetrcIsSilent() {
    assertEquals(List.of(), inputs().load().problems());
    assertFalse(Files.exists(home.resolve(".netrc")));
  }
}
