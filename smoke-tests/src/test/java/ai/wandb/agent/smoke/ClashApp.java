package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.SMOKE_APPS;

import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The library-clash smoke app, run against a local OpenAI-compatible server that answers every chat call
 * with a recorded completion: flat on the class path, or as a nested jar behind a child-first loader.
 */
final class ClashApp implements AutoCloseable {
  static final Path JAR = SMOKE_APPS.resolve("library-clash-app/target/library-clash-app.jar");
  static final String FLAT_CLASS_PATH = JAR + File.pathSeparator
      + SMOKE_APPS.resolve("library-clash-app/target/lib") + File.separator + "*";
  static final String MAIN = "ai.wandb.smoke.clash.ClashApp";
  /** Shaped like an OpenAI key, so that the built-in redaction is what keeps it out of traces. */
  static final String OPENAI_KEY = "sk-smoke-0123456789abcdefghijklmnopqrstuv";

  final OpenAiTestServer server = OpenAiTestServer.start();

  /** A child JVM whose environment points the app at the local server. */
  JavaProcess java() {
    return JavaProcess.java().env("OPENAI_BASE_URL", server.baseUrl()).env("OPENAI_API_KEY", OPENAI_KEY);
  }

  JavaProcess.Result flat(JavaProcess process, String... args) throws IOException, InterruptedException {
    answerOnce();
    return process.runMain(FLAT_CLASS_PATH, MAIN, args);
  }

  JavaProcess.Result nested(JavaProcess process, String parent, String... args)
      throws IOException, InterruptedException {
    answerOnce();
    return process.jvmArg("-Dlauncher.parent=" + parent).runJar(JAR, args);
  }

  private void answerOnce() {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));
  }

  @Override
  public void close() {
    server.close();
  }
}
