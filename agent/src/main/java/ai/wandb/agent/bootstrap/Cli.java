package ai.wandb.agent.bootstrap;

import java.io.PrintStream;

/** {@code java -jar wandb-agent.jar}: the version and how to use the agent. */
public final class Cli {
  private Cli() {}

  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0]) || "help".equals(args[0])) {
      out.println(usage());
      return 0;
    }
    if ("--version".equals(args[0]) || "version".equals(args[0])) {
      out.println("wandb-agent " + Version.get());
      return 0;
    }
    if ("doctor".equals(args[0])) {
      return Doctor.run(args, out, err);
    }
    if ("attach".equals(args[0])) {
      return Attach.run(args, out, err);
    }
    if ("sync".equals(args[0])) {
      return SpoolSync.run(args.length > 1 ? args[1] : null, out, err);
    }
    err.println("wandb-agent: unknown command '" + args[0] + "'");
    err.println(usage());
    return 2;
  }

  static String usage() {
    return "wandb-agent " + Version.get() + ": zero-code LLM tracing for the JVM (openai-java, LangChain4j)\n"
        + "\n"
        + "Attach it to any Java application:\n"
        + "  java -javaagent:wandb-agent.jar -jar your-app.jar\n"
        + "  java -javaagent:wandb-agent.jar=project=demo,entity=acme -jar your-app.jar\n"
        + "\n"
        + "Without an API key traces go to ./wandb/traces (open index.html there);\n"
        + "with WANDB_API_KEY (or ~/.netrc) they go to Weights & Biases.\n"
        + "Settings: agent arguments, -Dwandb.<key>=..., WANDB_<KEY>=..., or wandb.config_file.\n"
        + "\n"
        + "Commands:\n"
        + "  java -jar wandb-agent.jar sync [dir]  upload what an offline run or an unreachable W&B left in\n"
        + "                                        [dir] (default ./wandb/spool, or <wandb.dir>/wandb/spool)\n"
        + "  java -jar wandb-agent.jar doctor [key=value,...] [--classpath <path>]\n"
        + "                                        check the configuration, W&B, the trace server, local files\n"
        + "                                        and the spool; with a class path, which libraries it traces\n"
        + "  java -jar wandb-agent.jar attach <pid> [key=value,...]\n"
        + "                                        load the agent into a running JVM of this user\n"
        + "  java -jar wandb-agent.jar attach --list\n"
        + "                                        list the JVMs it can attach to\n"
        + "  java -jar wandb-agent.jar --version   print the version\n"
        + "  java -jar wandb-agent.jar --help      print this text";
  }
}
