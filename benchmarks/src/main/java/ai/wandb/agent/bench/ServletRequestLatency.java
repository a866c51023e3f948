package ai.wandb.agent.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Added latency per web request that makes no GenAI call (the latent root that is dropped): runs
 * {@link NonGenAiRequests} in child JVMs without and with the agent, interleaved, and prints each run
 * and the medians. {@code ServletRequestLatency <agent jar> <class path> <work dir> <runs> <warm-up> <measured>
 * [<app main class>]}: the app is {@link NonGenAiRequests} (Jetty) unless named, e.g.
 * {@link NonGenAiWebFluxRequests} (Spring WebFlux on Reactor Netty).
 */
public final class ServletRequestLatency {
    private ServletRequestLatency() {}

    public static void main(String[] args) throws Exception {
        String agentJar = args[0];
        String classPath = args[1];
        Path work = Path.of(args[2]);
        int runs = Integer.parseInt(args[3]);
        String app = args.length > 6 ? args[6] : NonGenAiRequests.class.getName();
        Map<String, List<double[]>> results = new TreeMap<>();
        for (int run = 0; run < runs; run++) {
            for (boolean agent : new boolean[] {false, true}) {
                List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
                if (agent) {
                    command.add("-javaagent:" + agentJar);
                }
                command.addAll(List.of("-cp", classPath, app, args[4], args[5]));
                double[] figures = parse(run(command, work.resolve((agent ? "agent-" : "none-") + run)));
                String label = agent ? "wandb-agent" : "none";
                results.computeIfAbsent(label, k -> new ArrayList<>()).add(figures);
                System.out.printf("run %d %-11s round trip p50 %.1f us  p90 %.1f us  p99 %.1f us  mean %.1f us;"
                        + " service() p50 %.2f us  mean %.2f us%n", run, label,
                        figures[0], figures[1], figures[2], figures[3], figures[4], figures[5]);
            }
        }
        for (Map.Entry<String, List<double[]>> entry : results.entrySet()) {
            System.out.printf("median of %d runs, %-11s round trip p50 %.1f us  p99 %.1f us  mean %.1f us;"
                    + " service() p50 %.2f us  mean %.2f us%n", runs, entry.getKey(), median(entry.getValue(), 0),
                    median(entry.getValue(), 2), median(entry.getValue(), 3), median(entry.getValue(), 4),
                    median(entry.getValue(), 5));
        }
    }

    private static String run(List<String> command, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path out = dir.resolve("stdout.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("WANDB_") || name.startsWith("OPENAI_"));
        if (builder.start().waitFor() != 0) {
            throw new IllegalStateException("failed: " + command + "\n" + Files.readString(dir.resolve("stderr.txt")));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static double[] parse(String stdout) {
        String line = stdout.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
        String[] parts = line.substring(7).split(" ");
        double[] figures = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            figures[i] = Double.parseDouble(parts[i].substring(parts[i].indexOf('=') + 1));
        }
        return figures;
    }

    private static double median(List<double[]> runs, int index) {
        double[] values = runs.stream().mapToDouble(r -> r[index]).sorted().toArray();
        return values[values.length / 2];
    }
}
