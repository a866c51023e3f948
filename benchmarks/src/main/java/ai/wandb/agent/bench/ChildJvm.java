package ai.wandb.agent.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one child JVM under {@code /usr/bin/time} in its own working directory, with an environment
 * cleaned of every variable that would change what the app or an agent does, and returns wall time,
 * CPU time (user + sys) and peak RSS, plus its stdout.
 */
final class ChildJvm {
    static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

    private final Path workDir;
    private final List<String> command;
    private final Map<String, String> extraEnv;

    ChildJvm(Path workDir, List<String> command, Map<String, String> extraEnv) {
        this.workDir = workDir;
        this.command = command;
        this.extraEnv = extraEnv;
    }

    record Result(double wallSeconds, double cpuSeconds, double peakRssMiB, String stdout) {}

    Result run() throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path timeFile = workDir.resolve("time.txt");
        Path out = workDir.resolve("stdout.txt");
        Path err = workDir.resolve("stderr.txt");
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", "-o", timeFile.toString()));
        timed.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(timed).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        cleanEnvironment(builder, workDir, extraEnv);
        int status = builder.start().waitFor();
        if (status != 0) {
            throw new IllegalStateException("exit status " + status + " of " + String.join(" ", command)
                    + "\n" + Files.readString(err, StandardCharsets.UTF_8));
        }
        String[] time = Files.readString(timeFile, StandardCharsets.UTF_8).trim().split("\\s+");
        int n = time.length;
        return new Result(Double.parseDouble(time[n - 4]),
                Double.parseDouble(time[n - 3]) + Double.parseDouble(time[n - 2]),
                Double.parseDouble(time[n - 1]) / 1024.0,
                Files.readString(out, StandardCharsets.UTF_8));
    }

    /** The apps must use their loopback endpoints and the agents their defaults plus what we set. */
    static void cleanEnvironment(ProcessBuilder builder, Path workDir, Map<String, String> extraEnv) {
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("OPENAI_") || name.startsWith("WANDB_")
                || name.startsWith("WF_") || name.startsWith("OTEL_") || name.equals("JAVA_TOOL_OPTIONS")
                || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
        env.put("WANDB_DIR", workDir.toString());
        env.putAll(extraEnv);
    }

    /** The value of {@code key=} on the child's {@code RESULT} line. */
    static double resultField(String stdout, String key) {
        for (String line : stdout.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String field : line.substring(7).trim().split(" ")) {
                    if (field.startsWith(key + "=")) {
                        return Double.parseDouble(field.substring(key.length() + 1));
                    }
                }
            }
        }
        throw new IllegalStateException("no " + key + " in the child's output:\n" + stdout);
    }
}
