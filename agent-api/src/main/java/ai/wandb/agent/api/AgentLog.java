package ai.wandb.agent.api;

import java.io.PrintStream;

/**
 * The agent's only voice: stderr with a {@code [wandb-agent]} prefix, never the application's logging
 * framework (DESIGN §6). Warnings are for what a user must act on; debug lines only with wandb.debug.
 */
public final class AgentLog {
  private static final String PREFIX = "[wandb-agent] ";
  private static volatile PrintStream out = System.err;
  private static volatile boolean debug;

  private AgentLog() {}

  public static void setDebug(boolean enabled) {
    debug = enabled;
  }

  public static boolean isDebug() {
    return debug;
  }

  /** Redirects output; tests use it to read what the agent says. */
  public static void setOutput(PrintStream stream) {
    out = stream == null ? System.err : stream;
  }

  public static void info(String message) {
    out.println(PREFIX + message);
  }

  public static void warn(String message) {
    out.println(PREFIX + "WARNING: " + message);
  }

  public static void debug(String message) {
    if (debug) {
      out.println(PREFIX + "debug: " + message);
    }
  }
}
