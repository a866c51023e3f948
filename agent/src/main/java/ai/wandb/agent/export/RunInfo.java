package ai.wandb.agent.export;

import java.util.Random;

/** Identity of this JVM's run, shared by every sink: one run per JVM. */
public final class RunInfo {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final String id;
  private final String name;

  public RunInfo(String id, String name) {
    this.id = id;
    this.name = name;
  }

  /** An 8-character id from the W&B alphabet, as the Python SDK generates them. */
  public static String newId(Random random) {
    char[] out = new char[8];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }

  /**
   * A readable name from the launch command ({@code sun.java.command}): the jar's file name without
   * {@code .jar}, or the main class's simple name.
   */
  public static String nameFromCommand(String command) {
    if (command == null || command.trim().isEmpty()) {
      return "java";
    }
    String first = command.trim().split("\\s+")[0];
    if (first.endsWith(".jar")) {
      String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
      return file.substring(0, file.length() - ".jar".length());
    }
    return first.substring(first.lastIndexOf('.') + 1);
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }
}
