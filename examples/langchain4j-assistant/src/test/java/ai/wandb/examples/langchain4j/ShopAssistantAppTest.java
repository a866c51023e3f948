package ai.wandb.examples.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShopAssistantAppTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ShopAssistantApp.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"open-ai", "open-ai-official"})
  void offlineBothQuestionsAreAnsweredFromWhatTheToolsSaid(String provider) {
    assertEquals(0, run(provider), err.toString(StandardCharsets.UTF_8));

    String output = out.toString(StandardCharsets.UTF_8);
    assertTrue(output.contains("assistant: Here is what I found: Order A-17 shipped yesterday"), output);
    assertTrue(output.contains("Order A-17 has already shipped and cannot be cancelled"), output);
    assertTrue(output.contains("assistant (streamed): Here is what I found: Order B-42 shipped yesterday"), output);
    assertTrue(output.contains("[tool] cancelOrder(B-42) failed"), output);
  }

  @Test
  void anUnknownProviderIsBadUsage() {
    assertEquals(2, run("anthropic"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage:"));
  }
}
