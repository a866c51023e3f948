package ai.wandb.agent.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Startup of a web app that keeps running (the Spring AI example): from the JVM's launch to its first
 * request served, that request included (for the Spring AI example, a chat with retrieval and two tool
 * calls against its built-in loopback endpoint). Wall time is measured here; CPU time (user + sys) and
 * peak RSS are the child's own at that moment, read from /proc (Linux, as the rest of benchmarks/run);
 * then the app is stopped.
 */
final class ServerStartup {
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    /** The startup row's name: the Spring AI example, Spring Boot 3.5 with Tomcat, Spring AI 1.1. */
    static final String SPRING_AI_APP = "Spring AI web (to first answer)";
    private static final String QUESTION = "Can I cancel order A-17?";

    private final Path workDir;
    private final List<String> command;
    private final String path;
    private final String body;

    /** {@code command} without the port: {@code --server.port=<free port>} is appended. */
    ServerStartup(Path workDir, List<String> command, String path, String body) {
        this.workDir = workDir;
        this.command = command;
        this.path = path;
        this.body = body;
    }

    /** Run {@code i} of the Spring AI example under every agent, added to {@code results}. */
    static void measureRun(Path jar, Function<AgentVariant, List<String>> agentFlags, Path work, int i,
            Map<String, Map<AgentVariant, List<ChildJvm.Result>>> results) throws IOException, InterruptedException {
        for (AgentVariant agent : AgentVariant.values()) {
            List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
            command.addAll(agentFlags.apply(agent));
            command.addAll(List.of("-jar", jar.toString()));
            ChildJvm.Result result = new ServerStartup(work.resolve("startup-spring-ai-" + agent + "-" + i), command,
                    "/ask?customer=bench", QUESTION).run();
            results.computeIfAbsent(SPRING_AI_APP, k -> new LinkedHashMap<>())
                    .computeIfAbsent(agent, k -> new ArrayList<>()).add(result);
            System.err.printf("startup spring-ai %-5s run %d: %.2f s wall, %.2f s CPU, %.0f MiB%n",
                    agent, i + 1, result.wallSeconds(), result.cpuSeconds(), result.peakRssMiB());
        }
    }

    /**
     * This row alone, without the rest of benchmarks/run: {@code <agent jar> <otel agent jar> <Spring AI
     * example jar> <work dir> <runs>}; prints its rows as benchmarks/run does.
     */
    public static void main(String[] args) throws Exception {
        Path agentJar = Paths.get(args[0]).toAbsolutePath();
        Path otelJar = Paths.get(args[1]).toAbsolutePath();
        Path work = Paths.get(args[3]).toAbsolutePath();
        int runs = Integer.parseInt(args[4]);
        Function<AgentVariant, List<String>> flags = agent -> agent.flags(agentJar, otelJar);
        Map<String, Map<AgentVariant, List<ChildJvm.Result>>> results = new LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            measureRun(Paths.get(args[2]).toAbsolutePath(), flags, work, i, results);
        }
        System.out.print(Report.startupRows(results, runs) + Report.startupDetail(results, runs));
    }

    ChildJvm.Result run() throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> full = new ArrayList<>(command);
        full.add("--server.port=" + port);
        ProcessBuilder builder = new ProcessBuilder(full).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("stdout.txt").toFile())
                .redirectError(workDir.resolve("stderr.txt").toFile());
        ChildJvm.cleanEnvironment(builder, workDir, Map.of());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long began = System.nanoTime();
        Process process = builder.start();
        try {
            HttpResponse<String> served = firstServed(http, request, process, began);
            double wall = (System.nanoTime() - began) / 1e9;
            double cpu = cpuSeconds(process.pid());
            double rss = peakRssMiB(process.pid());
            return new ChildJvm.Result(wall, cpu, rss, served.body());
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private HttpResponse<String> firstServed(HttpClient http, HttpRequest request, Process process, long began)
            throws IOException, InterruptedException {
        while (System.nanoTime() - began < DEADLINE.toNanos()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("exit status " + process.exitValue() + " of " + String.join(" ", command)
                        + "\n" + Files.readString(workDir.resolve("stderr.txt"), StandardCharsets.UTF_8));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("status " + response.statusCode() + ": " + response.body());
                }
                return response;
            } catch (IOException notListeningYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("no answer within " + DEADLINE + " from " + String.join(" ", command));
    }

    /** utime + stime of /proc/<pid>/stat (fields 14 and 15, after the command name in parentheses). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) clockTicks();
    }

    private static double peakRssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmHWM for " + pid);
    }

    private static long ticks;

    private static synchronized long clockTicks() throws IOException {
        if (ticks == 0) {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            ticks = Long.parseLong(new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
        return ticks;
    }
}
