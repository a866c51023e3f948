package ai.wandb.agent;

import ai.wandb.agent.bootstrap.AgentStarter;
import ai.wandb.agent.bootstrap.Cli;
import java.lang.instrument.Instrumentation;

/**
 * The class the JVM loads from the jar's manifest. The agent jar stays on the system class path, where
 * the JVM puts every {@code -javaagent} jar, and is not appended to the bootstrap class path: doing so
 * makes HotSpot print a class-data-sharing warning to the application's stderr and turns class data
 * sharing off for application classes, which costs startup time.
 */
public final class WandbAgent {
  private WandbAgent() {}

  public static void premain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation, true);
  }

  public static void agentmain(String agentArgs, Instrumentation instrumentation) {
    start(agentArgs, instrumentation, false);
  }

  /** {@code java -jar wandb-agent.jar [command]}: version, usage and the CLI commands. */
  public static void main(String[] args) {
    System.exit(Cli.run(args));
  }

  private static void start(String agentArgs, Instrumentation instrumentation, boolean atLaunch) {
    try {
      AgentStarter.start(agentArgs, instrumentation, atLaunch);
    } catch (Throwable t) {
      // The application always starts, agent or not.
      System.err.println("[wandb-agent] WARNING: the agent could not start and is off for this run: " + t);
      if (Boolean.getBoolean("wandb.debug")) {
        t.printStackTrace();
      }
    }
  }
}
