package ai.wandb.examples.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicAssistantTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... questions) {
    return AnthropicAssistant.run(questions, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void offlineTheToolCallLoopAndTheStreamAnswerWithSearchUrls() {
    assertEquals(0, run("find java libraries for parsing yaml", "stream: rust web frameworks with websockets"));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("  -> https://github.com/search?q=java+parsing+yaml&type=repositories\n"), printed);
    assertTrue(printed.contains("  -> https://github.com/search?q=rust+web+frameworks+websockets&type=repositories\n"),
        printed);
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(AnthropicAssistant.OFFLINE_NOTICE));
  }

  @Test
  void anOverloadedApiAndADroppedStreamAreReportedAndFailTheRun() {
    assertEquals(1, run("fail-demo please", "stream: cut-demo kotlin http clients"));

    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("  could not answer: 529: "), printed);
    assertTrue(printed.contains("  could not answer: Stream failed"), printed);
    String logged = err.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("com.anthropic.errors.OverloadedException"), logged);
    assertTrue(logged.contains("com.anthropic.errors.AnthropicIoException"), logged);
  }
}
