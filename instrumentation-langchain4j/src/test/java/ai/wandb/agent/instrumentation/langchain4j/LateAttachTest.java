package ai.wandb.agent.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent attached to a running app (the installer as {@code agentmain} runs it, in a child JVM of its
 * own, {@code com.example.lateattach.LateAttachApp}): the app's streaming handler class and its own
 * provider, which overrides {@code chat(...)}, were loaded and used before the attach. After it, the
 * provider is still given the app's own handler object (no proxy), the frames under the handler's
 * {@code onPartialResponse} and {@code onError} are the same as before the attach, and every call is one
 * span with the right status.
 */
class LateAttachTest {
  @TempDir
  Path dir;

  @Test
  void aHandlerClassLoadedBeforeTheAttachIsPassedOnItselfAndItsCallsAreTraced() throws Exception {
    Map<String, String> seen;
    try (OpenAiTestServer server = OpenAiTestServer.start()) {
      for (int i = 0; i < 2; i++) {
        server.enqueue("/v1/chat/completions", Reply.sse("langchain4j-chat-completion-stream"));
      }
      seen = run(server.baseUrl());
    }

    for (String key : List.of("echo.own_handler", "echo.handler_class", "echo.outcome", "echo.partial_frames",
        "echo_fail.own_handler", "echo_fail.outcome", "echo_fail.partial_frames", "echo_fail.error_frames",
        "openai.outcome")) {
      assertEquals(seen.get("before." + key), seen.get("after." + key), key + " in " + seen);
    }
    assertEquals("true", seen.get("after.echo.own_handler"));
    assertEquals("true", seen.get("after.echo_fail.own_handler"));
    assertEquals("com.example.lateattach.LateAttachApp$Recording", seen.get("after.echo.handler_class"));
    assertEquals("java.lang.IllegalStateException: the echo model failed", seen.get("after.echo_fail.outcome"));
    for (String key : List.of("echo.partial_frames", "echo_fail.error_frames", "openai.partial_frames")) {
      String frames = seen.get("after." + key);
      assertTrue(frames.startsWith("[com.example.lateattach.LateAttachApp$Recording.on"), key + ": " + frames);
      assertFalse(frames.contains("ai.wandb.agent.") || frames.contains("$Proxy") || frames.contains("reflect."),
          key + ": " + frames);
    }
    // LangChain4j's own observer (loaded before the attach too) calls the handler of a provider that implements doChat.
    assertTrue(seen.get("after.openai.partial_frames").contains(
        "dev.langchain4j.model.chat.StreamingChatModel$1.onPartialResponse"), seen.get("after.openai.partial_frames"));

    assertEquals("langchain4j.chat OK - first_token=true children=0", seen.get("trace.0"));
    assertEquals("langchain4j.chat ERROR the echo model failed first_token=true children=0", seen.get("trace.1"));
    assertEquals("langchain4j.chat OK - first_token=true children=0", seen.get("trace.2"));
    assertEquals("false", seen.get("trace.more"), "one span per call made after the attach, none before");
  }

  private Map<String, String> run(String baseUrl) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path output = dir.resolve("output.txt");
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "com.example.lateattach.LateAttachApp", baseUrl)
        .redirectErrorStream(true).redirectOutput(output.toFile()).directory(dir.toFile()).start();
    try {
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the app did not finish");
    } finally {
      process.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), printed);
    Map<String, String> seen = new LinkedHashMap<>();
    for (String line : printed.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0 && !line.startsWith("SLF4J")) {
        seen.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return seen;
  }
}
