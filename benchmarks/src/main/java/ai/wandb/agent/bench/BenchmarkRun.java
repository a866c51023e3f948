package ai.wandb.agent.bench;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Everything benchmarks/run measures, in one JVM that starts the others, and the one table it prints.
 * Arguments: {@code <agent jar> <otel agent jar> <otel version> <openai app jar> <app class path>
 * <benchmark classes> <work dir> <results file> <startup runs> <Spring AI example jar>}.
 */
public final class BenchmarkRun {
    private final Path agentJar;
    private final Path otelJar;
    private final String otelVersion;
    private final Path openAiApp;
    private final Path springAiApp;
    private final String appClassPath;
    private final Path benchClasses;
    private final Path work;
    private final int runs;

    private BenchmarkRun(String[] args) {
        agentJar = Paths.get(args[0]).toAbsolutePath();
        otelJar = Paths.get(args[1]).toAbsolutePath();
        otelVersion = args[2];
        openAiApp = Paths.get(args[3]).toAbsolutePath();
        appClassPath = args[5] + File.pathSeparator + args[4];
        benchClasses = Paths.get(args[5]).toAbsolutePath();
        work = Paths.get(args[6]).toAbsolutePath();
        runs = Integer.parseInt(args[8]);
        springAiApp = Paths.get(args[9]).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        BenchmarkRun run = new BenchmarkRun(args);
        String table = run.measure();
        System.out.println(table);
        Files.writeString(Paths.get(args[7]), table, StandardCharsets.UTF_8);
    }

    List<String> agentFlags(AgentVariant agent) {
        return agent.flags(agentJar, otelJar);
    }

    /** The one-call apps of the startup rows, by name. */
    private Map<String, List<String>> oneCallApps() {
        Map<String, List<String>> apps = new LinkedHashMap<>();
        apps.put("openai-java", List.of("-jar", openAiApp.toString(), CannedChat.QUESTION));
        apps.put("LangChain4j", List.of("-cp", appClassPath, LangChain4jOneCall.class.getName()));
        apps.put("Spring Boot web (no AI)", List.of("-cp", appClassPath, SpringBootWebApp.class.getName()));
        return apps;
    }

    private String measure() throws Exception {
        Instant began = Instant.now();
        String loadBefore = loadAverage();
        Map<String, Map<AgentVariant, List<ChildJvm.Result>>> startup = startup();
        List<RunResult> jmhNone = jmh(AgentVariant.NONE);
        List<RunResult> jmhAgent = jmh(AgentVariant.WANDB);
        List<RunResult> handOffNone = handOffs(AgentVariant.NONE);
        List<RunResult> handOffAgent = handOffs(AgentVariant.WANDB);
        Map<AgentVariant, Stats[]> appThread = appThreadCost("openai-java");
        Map<AgentVariant, Stats[]> appThreadUnexported = appThreadCost("openai-java-unexported");
        Map<AgentVariant, Stats[]> hookPath = appThreadCost("hook");
        List<RunResult> hookNone = hookPathJmh(AgentVariant.NONE);
        List<RunResult> hookAgent = hookPathJmh(AgentVariant.WANDB);
        double[] exporter = exporterThroughput("file", "file", Map.of());
        double[] otlp;
        String otlpReceived;
        try (DiscardingCollector collector = DiscardingCollector.start()) {
            otlp = exporterThroughput("otlp", "agent", Map.of("WANDB_EXPORTERS", "otlp",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint()));
            otlpReceived = String.format("; the collector got %,d requests, %,.0f MB (gzip, the default)"
                    + " by the end of the shutdown flush", collector.requests.get(), collector.bytes.get() / 1e6);
        }
        Map<String, String> wandbSinks = new LinkedHashMap<>();
        for (String sink : List.of("weave", "run")) {
            wandbSinks.put(sink, wandbSinkThroughput(sink));
        }
        Map<String, double[]> latency = sinkDownVersusUp();
        Map<AgentVariant, Stats> noGenAi = nonGenAiRequests();
        List<WebServerLoad.Result> load = webServerLoad();
        long seconds = began.until(Instant.now(), ChronoUnit.SECONDS);
        List<String> rows = new ArrayList<>();
        rows.add(Report.row("app-thread CPU time added per openai-java call with spans dropped, not exported (the agent's"
                + " own work on the thread, without the exporter rendering on the other core)", "",
                Report.added(appThread.get(AgentVariant.NONE)[0], appThreadUnexported.get(AgentVariant.WANDB)[0], 1e-3, "µs")
                        + "; " + Report.added(appThread.get(AgentVariant.NONE)[1], appThreadUnexported.get(AgentVariant.WANDB)[1], 1, "B"),
                "not measured"));
        rows.add(Report.row("hook path alone (a method named in wandb.trace.methods, one-span trace, exporter without"
                + " sinks): app-thread CPU and bytes per call (agent − none, median of 3 JVMs each)", "",
                Report.added(hookPath.get(AgentVariant.NONE)[0], hookPath.get(AgentVariant.WANDB)[0], 1, "ns") + "; "
                        + Report.added(hookPath.get(AgentVariant.NONE)[1], hookPath.get(AgentVariant.WANDB)[1], 1, "B"),
                "n/a"));
        rows.add(Report.row("hook path alone, JMH average and -prof gc bytes per call, all threads (agent − none)", "",
                String.format("%+.0f ± %.0f ns (%.1f → %.1f ns); %+.0f B", score(hookAgent, null) - score(hookNone, null),
                        Math.max(error(hookNone), error(hookAgent)), score(hookNone, null), score(hookAgent, null),
                        score(hookAgent, "gc.alloc.rate.norm") - score(hookNone, "gc.alloc.rate.norm")), "n/a"));
        rows.add(Report.row("exporter throughput, OTLP sink to a loopback collector that discards, 5-span traces,"
                + " 2 KB prompts / 1 KB answers", "≥ 20,000 spans/s",
                String.format("%,.0f spans/s (%.0f traces dropped; live heap %.1f MiB)", otlp[0], otlp[2], otlp[1] / (1024.0 * 1024))
                        + otlpReceived,
                "n/a"));
        wandbSinks.forEach((sink, cell) -> rows.add(Report.row("exporter throughput, " + (sink.equals("run")
                ? "W&B run sink (one history row per trace)" : "Weave sink (a call start and end per span)")
                + " to a loopback W&B that discards (`DiscardingWandb`), 5-span traces, 2 KB prompts / 1 KB answers",
                "≥ 20,000 spans/s", cell, "n/a")));
        rows.add(Report.row("web request without GenAI work (Jetty `GET /health`), time in service(), p50 (agent − none,"
                + " median of 3 JVMs each)", "", Report.added(noGenAi.get(AgentVariant.NONE), noGenAi.get(AgentVariant.WANDB), 1, "µs"),
                "not measured"));
        rows.addAll(Report.loadRows(load, WebServerLoad.RATE, LOAD_WARMUP_SECONDS, loadSeconds()));
        return new Report(startup, jmhNone, jmhAgent, appThread, exporter, latency, Files.size(agentJar), Files.size(otelJar),
                otelVersion, runs, began, seconds, loadBefore, loadAverage()).withHandOffs(handOffNone, handOffAgent)
                .withRows(rows).markdown();
    }

    /**
     * Warm-up of each web-server load run at the full rate: at 10 s the JIT was still compiling (C1 and C2
     * threads had the largest share of the agent variant's CPU in its measured window).
     */
    static final int LOAD_WARMUP_SECONDS = 20;

    /** {@code LOAD_SECONDS} (default 20): the measured window of each web-server load run, after the warm-up. */
    private static int loadSeconds() {
        String value = System.getenv("LOAD_SECONDS");
        return value == null || value.isBlank() ? 20 : Integer.parseInt(value.trim());
    }

    private List<WebServerLoad.Result> webServerLoad() throws Exception {
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("none", agentFlags(AgentVariant.NONE));
        variants.put("wandb-agent", agentFlags(AgentVariant.WANDB));
        variants.put(WebServerLoad.UNREACHABLE, agentFlags(AgentVariant.WANDB));
        variants.put("OpenTelemetry agent", agentFlags(AgentVariant.OTEL));
        return WebServerLoad.all(List.of(ChildJvm.JAVA), variants, appClassPath, work, LOAD_WARMUP_SECONDS, loadSeconds());
    }

    /** service() p50 of a request without GenAI work ({@link NonGenAiRequests}), 3 interleaved JVMs each. */
    private Map<AgentVariant, Stats> nonGenAiRequests() throws Exception {
        Map<AgentVariant, List<Double>> p50 = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
            for (AgentVariant agent : List.of(AgentVariant.NONE, AgentVariant.WANDB)) {
                List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
                command.addAll(agentFlags(agent));
                command.addAll(List.of("-cp", appClassPath, NonGenAiRequests.class.getName(), "20000", "20000"));
                ChildJvm.Result result = new ChildJvm(work.resolve("no-genai-" + agent + "-" + round), command, Map.of()).run();
                p50.computeIfAbsent(agent, k -> new ArrayList<>()).add(ChildJvm.resultField(result.stdout(), "service_p50_us"));
                System.err.println("request without GenAI work " + agent + ": " + result.stdout().trim());
            }
        }
        Map<AgentVariant, Stats> out = new LinkedHashMap<>();
        p50.forEach((agent, values) -> out.put(agent, Stats.of(values)));
        return out;
    }

    /** The hook path alone ({@link HookPathBenchmark}), one fork, with -prof gc. */
    private List<RunResult> hookPathJmh(AgentVariant agent) throws Exception {
        List<String> flags = new ArrayList<>(agentFlags(agent));
        flags.addAll(TracedStep.AGENT_PROPERTIES);
        flags.add("-Dwandb.dir=" + unwritableDir("hook-path"));
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(HookPathBenchmark.class.getName())
                .forks(1)
                .addProfiler("gc")
                .jvmArgsAppend(flags.toArray(String[]::new))
                .output(work.resolve("hook-path-" + agent + ".txt").toString());
        System.err.println("JMH hook path " + agent + " (log: " + work.resolve("hook-path-" + agent + ".txt") + ")");
        return new ArrayList<>(new Runner(options.build()).run());
    }

    /** The 1-minute load average, so a reader can tell a quiet machine from a busy one. */
    private static String loadAverage() throws Exception {
        Path loadavg = Paths.get("/proc/loadavg");
        return Files.exists(loadavg) ? Files.readString(loadavg).split(" ")[0] : "unknown";
    }

    /** Interleaved: run i of every app under every agent before run i + 1, so drift hits all alike. */
    private Map<String, Map<AgentVariant, List<ChildJvm.Result>>> startup() throws Exception {
        Map<String, Map<AgentVariant, List<ChildJvm.Result>>> results = new LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            for (Map.Entry<String, List<String>> app : oneCallApps().entrySet()) {
                for (AgentVariant agent : AgentVariant.values()) {
                    List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
                    command.addAll(agentFlags(agent));
                    command.addAll(app.getValue());
                    Path dir = work.resolve("startup-" + app.getKey() + "-" + agent + "-" + i);
                    ChildJvm.Result result = new ChildJvm(dir, command, Map.of()).run();
                    results.computeIfAbsent(app.getKey(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(agent, k -> new ArrayList<>()).add(result);
                    System.err.printf("startup %-11s %-5s run %d: %.2f s wall, %.2f s CPU, %.0f MiB%n",
                            app.getKey(), agent, i + 1, result.wallSeconds(), result.cpuSeconds(), result.peakRssMiB());
                }
            }
            ServerStartup.measureRun(springAiApp, this::agentFlags, work, i, results);
        }
        return results;
    }

    /**
     * The chat call on the app thread, without and with the agent (2 forks each). The agent's file sink
     * points at a path that cannot be created: the app thread does the same either way, and a run of a
     * million calls does not write gigabytes.
     */
    private List<RunResult> jmh(AgentVariant agent) throws Exception {
        Path unwritable = unwritableDir("jmh");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(ChatCallBenchmark.class.getName())
                .forks(2)
                .addProfiler("gc")
                .jvmArgsAppend(Stream.concat(agentFlags(agent).stream(),
                        Stream.of("-Dwandb.dir=" + unwritable)).toArray(String[]::new))
                .output(work.resolve("jmh-" + agent + ".txt").toString());
        System.err.println("JMH " + agent + " (log: " + work.resolve("jmh-" + agent + ".txt") + ")");
        return new ArrayList<>(new Runner(options.build()).run());
    }

    /** What context propagation adds to executor hand-offs (see {@link HandOffBenchmark}), 2 forks each. */
    private List<RunResult> handOffs(AgentVariant agent) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(HandOffBenchmark.class.getName())
                .forks(2)
                .jvmArgsAppend(Stream.concat(agentFlags(agent).stream(),
                        Stream.of("-Dwandb.dir=" + unwritableDir("handoff"))).toArray(String[]::new))
                .output(work.resolve("handoff-" + agent + ".txt").toString());
        System.err.println("JMH hand-offs " + agent + " (log: " + work.resolve("handoff-" + agent + ".txt") + ")");
        return new ArrayList<>(new Runner(options.build()).run());
    }

    /**
     * App-thread CPU time and allocation per call, without and with the agent, three interleaved rounds,
     * medians; the sink is down for the reason given at {@link #jmh}. Returns ns and bytes per call.
     */
    private Map<AgentVariant, Stats[]> appThreadCost(String workload) throws Exception {
        Map<AgentVariant, List<Double>> cpu = new LinkedHashMap<>();
        Map<AgentVariant, List<Double>> bytes = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
            for (AgentVariant agent : List.of(AgentVariant.NONE, AgentVariant.WANDB)) {
                List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
                command.addAll(agentFlags(agent));
                command.addAll(TracedStep.AGENT_PROPERTIES);
                boolean hook = workload.equals("hook");
                command.addAll(List.of("-Dwandb.dir=" + unwritableDir("app-thread"), "-cp", appClassPath,
                        AppThreadCost.class.getName(), workload, hook ? "300000" : "40000", hook ? "1000000" : "30000"));
                ChildJvm.Result result = new ChildJvm(work.resolve("app-thread-" + workload + "-" + agent + "-" + round),
                        command, Map.of()).run();
                cpu.computeIfAbsent(agent, k -> new ArrayList<>()).add(ChildJvm.resultField(result.stdout(), "cpu_ns"));
                bytes.computeIfAbsent(agent, k -> new ArrayList<>()).add(ChildJvm.resultField(result.stdout(), "bytes"));
                System.err.println("app thread " + workload + " " + agent + ": " + result.stdout().trim());
            }
        }
        Map<AgentVariant, Stats[]> out = new LinkedHashMap<>();
        for (AgentVariant agent : cpu.keySet()) {
            out.put(agent, new Stats[] {Stats.of(cpu.get(agent)), Stats.of(bytes.get(agent))});
        }
        return out;
    }

    /** Returns spans/s, live heap in bytes, dropped traces. */
    private double[] exporterThroughput(String name, String sink, Map<String, String> env) throws Exception {
        ChildJvm.Result result = exporterRun(name, sink, env);
        return new double[] {ChildJvm.resultField(result.stdout(), "spans_per_s"),
                ChildJvm.resultField(result.stdout(), "live_heap_bytes"),
                ChildJvm.resultField(result.stdout(), "dropped")};
    }

    private ChildJvm.Result exporterRun(String name, String sink, Map<String, String> env) throws Exception {
        Path dir = work.resolve("exporter-" + name);
        List<String> command = List.of(ChildJvm.JAVA, "-Xmx512m",
                "-cp", agentJar + File.pathSeparator + benchClasses,
                ExporterThroughput.class.getName(), sink, dir.resolve("traces").toString(), "3", "8");
        ChildJvm.Result result = new ChildJvm(dir, command, env).run();
        deleteTree(dir.resolve("traces"));
        System.err.println("exporter " + name + ": " + result.stdout().trim());
        return result;
    }

    /**
     * A W&B sink's cell: what the exporter handed over and what the server received in the same window,
     * the totals by the end of the shutdown flush (so a sink that sent nothing cannot look fast), the
     * drops and the sink's own exit note.
     */
    private String wandbSinkThroughput(String sink) throws Exception {
        String out = exporterRun(sink, sink, Map.of()).stdout();
        StringBuilder notes = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.startsWith("NOTE ")) {
                notes.append("; ").append(line.substring(5).replace("|", "/"));
            }
        }
        return String.format("%,.0f spans/s handed over, %,.0f spans/s received by the server in the same window;"
                + " it got %,.0f of the %,.0f spans made by the end of the shutdown flush (%,.0f requests, %,.0f MB);"
                + " %.0f traces dropped by the exporter; live heap %.1f MiB%s",
                ChildJvm.resultField(out, "spans_per_s"), ChildJvm.resultField(out, "delivered_spans_per_s"),
                ChildJvm.resultField(out, "received_spans"), ChildJvm.resultField(out, "produced_spans"),
                ChildJvm.resultField(out, "received_requests"), ChildJvm.resultField(out, "received_bytes") / 1e6,
                ChildJvm.resultField(out, "dropped"), ChildJvm.resultField(out, "live_heap_bytes") / (1024.0 * 1024),
                notes);
    }

    /**
     * p50 and p99 of a traced call at 1,000 calls/s while the sink is up and while it is down, two
     * interleaved rounds each. Sink scenarios are environments: the file sink is up in a writable
     * directory and down under a path that cannot be created. A W&B sink joins as one more pair: its base
     * URL at the loopback W&B test server (up) and at a closed loopback port (down).
     */
    private Map<String, double[]> sinkDownVersusUp() throws Exception {
        Map<String, Map<String, String>> scenarios = new LinkedHashMap<>();
        scenarios.put("file sink up", Map.of("WANDB_EXPORTERS", "file"));
        scenarios.put("file sink down", Map.of("WANDB_EXPORTERS", "file", "WANDB_DIR", unwritableDir("latency").toString()));
        Map<String, List<Double>> p50 = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        for (int round = 0; round < 2; round++) {
            for (Map.Entry<String, Map<String, String>> scenario : scenarios.entrySet()) {
                List<String> command = new ArrayList<>(List.of(ChildJvm.JAVA));
                command.addAll(agentFlags(AgentVariant.WANDB));
                command.addAll(List.of("-cp", appClassPath, TracedCallLatency.class.getName(), "1000", "10"));
                Path dir = work.resolve("latency-" + scenario.getKey().replace(' ', '-') + "-" + round);
                ChildJvm.Result result = new ChildJvm(dir, command, scenario.getValue()).run();
                deleteTree(dir.resolve("wandb"));
                p50.computeIfAbsent(scenario.getKey(), k -> new ArrayList<>()).add(ChildJvm.resultField(result.stdout(), "p50_ns"));
                p99.computeIfAbsent(scenario.getKey(), k -> new ArrayList<>()).add(ChildJvm.resultField(result.stdout(), "p99_ns"));
                System.err.println("latency " + scenario.getKey() + ": " + result.stdout().trim());
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String scenario : scenarios.keySet()) {
            out.put(scenario, new double[] {Stats.of(p50.get(scenario)).median(), Stats.of(p99.get(scenario)).median()});
        }
        return out;
    }

    /** A directory path under a regular file: creating it fails, as a full or read-only disk would. */
    private Path unwritableDir(String name) throws Exception {
        Files.createDirectories(work);
        Path file = work.resolve(name + "-not-a-directory");
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        return file.resolve("wandb-dir");
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    static double error(Collection<RunResult> results) {
        return results.iterator().next().getPrimaryResult().getScoreError();
    }

    static double score(Collection<RunResult> results, String secondary) {
        RunResult result = results.iterator().next();
        return secondary == null ? result.getPrimaryResult().getScore()
                : result.getSecondaryResults().get(secondary).getScore();
    }
}
