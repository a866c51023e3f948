package ai.wandb.agent.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.openai.OpenAiTestServer.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys in the environment, in the prompt and in the traced call's headers never reach what the agent writes. */
class SecretsSmokeTest {
  private static final String WANDB_KEY = "0123456789abcdef0123456789abcdef01234567";

  @TempDir
  Path dir;

  @Test
  void theApiKeysAndTheAuthorizationHeaderAppearInNoOutputAndNoFileTheAgentWrote() throws Exception {
    try (ClashApp app = new ClashApp()) {
      JavaProcess.Result run = app.flat(app.java().withAgent("debug=true").env("WANDB_API_KEY", WANDB_KEY)
          .env("WANDB_MODE", "offline").env("WANDB_DIR", dir.toString()).in(dir), "secrets");

      assertEquals(0, run.exitCode(), run.stderr());
      List<RecordedRequest> sent = app.server.requests();
      assertEquals("Bearer " + ClashApp.OPENAI_KEY, sent.get(0).authorization(), "the call did carry the header");
      assertTrue(sent.get(0).body().contains(WANDB_KEY), "the app did paste the key into its prompt");

      List<Path> written;
      try (Stream<Path> files = Files.walk(dir)) {
        written = files.filter(Files::isRegularFile).collect(Collectors.toList());
      }
      assertFalse(written.isEmpty());
      String prompt = (String) TraceFiles.object(TraceFiles.list(TraceFiles.object(
          TraceFiles.readTraces(TraceFiles.tracesDir(dir)).get(0).get("inputs")).get("messages")).get(0)).get("content");
      assertEquals("my keys are <redacted> and WANDB_API_KEY=<redacted>", prompt);
      for (String secret : List.of(WANDB_KEY, ClashApp.OPENAI_KEY, sent.get(0).authorization())) {
        assertFalse(run.stdout().contains(secret) || run.stderr().contains(secret), "output holds " + secret);
        for (Path file : written) {
          assertFalse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains(secret),
              file + " holds " + secret);
        }
      }
    }
  }
}
