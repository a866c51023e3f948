package ai.wandb.agent.smoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A child JVM started the way a user starts one, with a clean, explicit environment. */
final class JavaProcess {
  static final Path AGENT_JAR = Paths.get(System.getProperty("agent.jar", "../agent/target/wandb-agent.jar"))
      .toAbsolutePath().normalize();
  static final Path EXAMPLES = Paths.get(System.getProperty("examples.dir", "../examples"))
      .toAbsolutePath().normalize();
  static final Path GITHUB_URL_ASSISTANT = EXAMPLES.resolve("github-url-assistant/target/github-url-assistant.jar");
  static final Path SMOKE_APPS = Paths.get(System.getProperty("smoke.apps.dir", "apps")).toAbsolutePath().normalize();
  static final Path OPENAI_TOUR = EXAMPLES.resolve("openai-tour/target/openai-tour.jar");
  static final Path GEMINI_ASSISTANT = EXAMPLES.resolve("gemini-assistant/target/gemini-assistant.jar");

  private final List<String> jvmArgs = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private Path workingDir;
  private String javaHome = System.getProperty("java.home");

  static JavaProcess java() {
    JavaProcess process = new JavaProcess();
    // Only what a JVM needs: no WANDB_* or OPENAI_* from the developer's shell leaks into a test.
    for (String keep : new String[] {"PATH", "HOME", "LANG", "TMPDIR"}) {
      String value = System.getenv(keep);
      if (value != null) {
        process.env.put(keep, value);
      }
    }
    return process;
  }

  JavaProcess withAgent(String agentArgs) {
    jvmArgs.add("-javaagent:" + AGENT_JAR + (agentArgs == null ? "" : "=" + agentArgs));
    return this;
  }

  JavaProcess jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  JavaProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  JavaProcess in(Path dir) {
    workingDir = dir;
    return this;
  }

  JavaProcess javaHome(String home) {
    javaHome = home;
    return this;
  }

  Result runJar(Path jar, String... args) throws IOException, InterruptedException {
    return startJar(jar, args).await(120);
  }

  /** Runs {@code mainClass} from a class path ({@code dir/*} entries allowed, as for {@code java -cp}). */
  Result runMain(String classPath, String mainClass, String... args) throws IOException, InterruptedException {
    List<String> target = new ArrayList<>(List.of("-cp", classPath, mainClass));
    target.addAll(List.of(args));
    return start(target).await(120);
  }

  /** Starts {@code mainClass} from a class path and returns at once; stdin stays open for {@link Running#send}. */
  Running startMain(String classPath, String mainClass, String... args) throws IOException {
    List<String> target = new ArrayList<>(List.of("-cp", classPath, mainClass));
    target.addAll(List.of(args));
    return start(target);
  }

  /** Starts the JVM and returns at once, for tests that stop it themselves (e.g. with SIGKILL). */
  Running startJar(Path jar, String... args) throws IOException {
    List<String> target = new ArrayList<>(List.of("-jar", jar.toString()));
    target.addAll(List.of(args));
    return start(target);
  }

  private Running start(List<String> target) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(javaHome, "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(target);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(env);
    if (workingDir != null) {
      builder.directory(workingDir.toFile());
    }
    Path out = Files.createTempFile("smoke-out", ".txt");
    Path err = Files.createTempFile("smoke-err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new Running(builder.start(), command, out, err);
  }

  record Running(Process process, List<String> command, Path out, Path err) {
    Result await(int seconds) throws IOException, InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("child JVM did not finish in " + seconds + " s: " + command);
      }
      return result();
    }

    /** Writes one line to the process's stdin. */
    void send(String line) throws IOException {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    }

    void closeInput() throws IOException {
      process.getOutputStream().close();
    }

    /** Waits until the process has printed a line equal to {@code line} on stdout. */
    void awaitLine(String line, int seconds) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (!Files.readString(out, StandardCharsets.UTF_8).lines().anyMatch(line::equals)) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new AssertionError("no line '" + line + "' from " + command + "; stdout: "
              + Files.readString(out, StandardCharsets.UTF_8) + "; stderr: " + Files.readString(err, StandardCharsets.UTF_8));
        }
        Thread.sleep(50);
      }
    }

    /** SIGKILL on Unix: no shutdown hook runs. */
    Result kill() throws IOException, InterruptedException {
      process.destroyForcibly().waitFor();
      return result();
    }

    private Result result() throws IOException {
      Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return result;
    }
  }

  record Result(int exitCode, String stdout, String stderr) {
    /** What the agent said: stderr lines with its prefix. */
    List<String> agentLines() {
      return stderr.lines().filter(line -> line.startsWith("[wandb-agent]")).collect(Collectors.toList());
    }

    /** The application's own stderr: everything the agent did not say. */
    String appStderr() {
      return stderr.lines().filter(line -> !line.startsWith("[wandb-agent]"))
          .collect(Collectors.joining("\n"));
    }
  }
}
