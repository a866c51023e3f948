package ai.wandb.agent.config;

import ai.wandb.agent.api.AgentLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Captures what the agent prints while open, and restores stderr on close. */
final class CapturedLog implements AutoCloseable {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  CapturedLog() {
    AgentLog.setOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }

  List<String> lines() {
    String text = bytes.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R"));
  }

  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    AgentLog.setOutput(null);
  }
}
