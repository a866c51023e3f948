package ai.wandb.agent.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A web server under load: {@link ChatWebApp} in a child JVM (one variant: no agent, this agent, this
 * agent with W&B unreachable, the OpenTelemetry agent), its endpoint making one chat call to
 * {@link SlowOpenAi} answering in 50 ms, driven open-loop at a fixed rate by a JDK {@link HttpClient}:
 * request {@code i} is sent at {@code start + i / rate} whatever happened to the ones before, and its
 * latency counts from that planned instant, so a stalled server shows in the percentiles instead of
 * slowing the generator down. After a warm-up at the same rate, the measured window gives p50 and p99,
 * the server's CPU time ({@code /proc/<pid>/stat}) and its resident set at the end ({@code VmRSS}); the
 * agent's exit line (after SIGTERM) gives the traces exported and dropped.
 */
final class WebServerLoad {
    static final int RATE = 200;
    static final long ANSWER_MILLIS = 50;
    private static final Pattern EXPORTED = Pattern.compile("exported (\\d+) trace");
    private static final Pattern DROPPED = Pattern.compile("dropped (\\d+)");

    /**
     * One variant's figures; exported and dropped are -1 where no line of this agent says them. {@code
     * threadCpu}: the window's CPU seconds per group of the server's threads ({@link #threadTicks}).
     */
    record Result(String variant, double p50Millis, double p99Millis, double cpuSeconds, double rssMiB,
            int sent, int failed, long exported, long dropped, Map<String, Double> threadCpu) {
        /** µs of CPU per request the agent's exporter thread took in the window (0 without one). */
        double exporterMicrosPerRequest() {
            return threadCpu.getOrDefault(EXPORTER_THREAD, 0.0) * 1e6 / sent;
        }
    }

    /** The exporter's thread name as {@code /proc} gives it (15 characters of "wandb-agent-exporter"). */
    static final String EXPORTER_THREAD = "wandb-agent-exp";

    private WebServerLoad() {}

    /** The variants of one load run, in order. */
    static List<Result> all(List<String> java, Map<String, List<String>> agentFlags, String classPath, Path work,
            int warmupSeconds, int seconds) throws Exception {
        List<Result> results = new ArrayList<>();
        try (SlowOpenAi model = SlowOpenAi.start(ANSWER_MILLIS)) {
            for (Map.Entry<String, List<String>> variant : agentFlags.entrySet()) {
                List<String> command = new ArrayList<>(java);
                command.addAll(variant.getValue());
                // A fixed heap, as a server is run: with the JVM's default sizing the resident set followed
                // how far G1 had grown the heap (416–724 MiB for the same app), not what the variant added.
                command.addAll(List.of("-Xms256m", "-Xmx256m", "-cp", classPath, ChatWebApp.class.getName()));
                Map<String, String> env = variant.getKey().equals(UNREACHABLE) ? unreachableWandb() : Map.of();
                Result result = run(variant.getKey(), command, env, work.resolve("load-" + variant.getKey().replaceAll("\\W+", "-")),
                        model, warmupSeconds, seconds);
                System.err.printf("load %-32s p50 %.1f ms, p99 %.1f ms, CPU %.2f s, RSS %.0f MiB, %d/%d failed,"
                        + " exported %d, dropped %d; CPU s by thread %s%n", result.variant(), result.p50Millis(),
                        result.p99Millis(), result.cpuSeconds(), result.rssMiB(), result.failed(), result.sent(),
                        result.exported(), result.dropped(), result.threadCpu());
                results.add(result);
            }
        }
        return results;
    }

    /** The variant whose W&B endpoints do not answer: an API key and a loopback port nothing listens on. */
    static final String UNREACHABLE = "wandb-agent, W&B unreachable";

    static Map<String, String> unreachableWandb() throws IOException {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return Map.of("WANDB_API_KEY", "local-0123456789abcdef0123456789abcdef01234567",
                "WANDB_BASE_URL", "http://127.0.0.1:" + port);
    }

    /** {@code WebServerLoad <agent jar> <otel agent jar> <class path> <work dir> <warm-up s> <measured s> [variant]}. */
    public static void main(String[] args) throws Exception {
        Map<String, List<String>> variants = new java.util.LinkedHashMap<>();
        variants.put("none", List.of());
        variants.put("wandb-agent", List.of("-javaagent:" + args[0]));
        variants.put(UNREACHABLE, List.of("-javaagent:" + args[0]));
        variants.put("OpenTelemetry agent", List.of("-javaagent:" + args[1], "-Dotel.traces.exporter=none",
                "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"));
        if (args.length > 6) {
            variants.keySet().removeIf(name -> !name.equals(args[6]));
        }
        all(List.of(ChildJvm.JAVA), variants, args[2], Path.of(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
    }

    static Result run(String variant, List<String> command, Map<String, String> env, Path dir, SlowOpenAi model,
            int warmupSeconds, int seconds) throws Exception {
        Files.createDirectories(dir);
        List<String> full = new ArrayList<>(command);
        full.add(model.baseUrl());
        ProcessBuilder builder = new ProcessBuilder(full).directory(dir.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("OPENAI_") || name.startsWith("WANDB_")
                || name.startsWith("WF_") || name.startsWith("OTEL_") || name.endsWith("JAVA_OPTIONS")
                || name.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().put("WANDB_DIR", dir.toString());
        builder.environment().putAll(env);
        Process server = builder.start();
        try {
            int port = readPort(server);
            URI uri = URI.create("http://127.0.0.1:" + port + "/ask");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            drive(client, uri, warmupSeconds);
            long cpuBefore = cpuTicks(server.pid());
            Map<Long, String[]> threadsBefore = threadTicks(server.pid());
            long[] latencies = drive(client, uri, seconds);
            long cpuAfter = cpuTicks(server.pid());
            Map<String, Double> threadCpu = threadCpu(threadsBefore, threadTicks(server.pid()));
            double rss = rssMiB(server.pid());
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            String stderr = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
            int failed = (int) Arrays.stream(latencies).filter(l -> l < 0).count();
            long[] ok = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
            return new Result(variant, percentile(ok, 0.50) / 1e6, percentile(ok, 0.99) / 1e6,
                    (cpuAfter - cpuBefore) / 100.0, rss, latencies.length, failed,
                    lastNumber(EXPORTED, stderr), lastNumber(DROPPED, stderr), threadCpu);
        } finally {
            server.destroyForcibly();
        }
    }

    /** Latency per request in ns from its planned send time; -1 for a failed or unanswered request. */
    static long[] drive(HttpClient client, URI uri, int seconds) throws InterruptedException {
        int total = RATE * seconds;
        long[] latencies = new long[total];
        Arrays.fill(latencies, -1);
        CountDownLatch done = new CountDownLatch(total);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(10)).build();
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        for (int i = 0; i < total; i++) {
            long planned = start + i * interval;
            for (long wait = planned - System.nanoTime(); wait > 0; wait = planned - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() == 200) {
                    latencies[index] = System.nanoTime() - planned;
                }
                done.countDown();
            });
        }
        done.await(30, TimeUnit.SECONDS);
        return latencies;
    }

    private static int readPort(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PORT ")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // the app prints nothing else; keep its pipe from filling
                        }
                    } catch (IOException ignored) {
                        // the server is gone
                    }
                }, "web-app-stdout");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new IllegalStateException("the web app exited before listening");
    }

    /** utime + stime of the process, in clock ticks (1/100 s on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * Per thread of the process: {name, utime + stime in ticks}, from {@code /proc/<pid>/task/<tid>/stat}.
     * Where the CPU of a window went (the agent's exporter thread against the servlet threads, the JIT,
     * GC), which the process total cannot say, and thread CPU time depends less on the machine's load
     * than wall time does.
     */
    static Map<Long, String[]> threadTicks(long pid) throws IOException {
        Map<Long, String[]> out = new java.util.HashMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                out.put(Long.parseLong(task.getFileName().toString()), new String[] {name, Long.toString(ticks)});
            }
        }
        return out;
    }

    /**
     * CPU seconds of the window per group of threads, the groups being thread names without their
     * numbers ({@code qtp1234-17} and {@code qtp1234-18} are both {@code qtp}), largest first; threads that
     * ended within the window are missing (the process total has them).
     */
    static Map<String, Double> threadCpu(Map<Long, String[]> before, Map<Long, String[]> after) {
        Map<String, Double> groups = new java.util.HashMap<>();
        for (Map.Entry<Long, String[]> thread : after.entrySet()) {
            String[] was = before.get(thread.getKey());
            long ticks = Long.parseLong(thread.getValue()[1]) - (was == null ? 0 : Long.parseLong(was[1]));
            String group = thread.getValue()[0].replaceAll("([\\s#-]*\\d+)+$", "");
            groups.merge(group, ticks / 100.0, Double::sum);
        }
        Map<String, Double> sorted = new java.util.LinkedHashMap<>();
        groups.entrySet().stream().filter(group -> group.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(group -> sorted.put(group.getKey(), group.getValue()));
        return sorted;
    }

    private static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    private static long lastNumber(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        long last = -1;
        while (matcher.find()) {
            last = Long.parseLong(matcher.group(1));
        }
        return last;
    }
}
