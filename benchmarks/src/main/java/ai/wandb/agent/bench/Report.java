package ai.wandb.agent.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.openjdk.jmh.results.RunResult;

/** The markdown table of one benchmark run: every figure a ratio or a difference between agents of the same run. */
final class Report {
    private static final double MIB = 1024.0 * 1024.0;

    private final Map<String, Map<AgentVariant, List<ChildJvm.Result>>> startup;
    private final List<RunResult> jmhNone;
    private final List<RunResult> jmhAgent;
    private final Map<AgentVariant, Stats[]> appThread;
    private final double[] exporter;
    private final Map<String, double[]> latency;
    private final long agentJarBytes;
    private final long otelJarBytes;
    private final String otelVersion;
    private final int runs;
    private final Instant began;
    private final long seconds;
    private final String loadBefore;
    private final String loadAfter;
    private List<RunResult> handOffNone;
    private List<RunResult> handOffAgent;

    Report(Map<String, Map<AgentVariant, List<ChildJvm.Result>>> startup, List<RunResult> jmhNone,
            List<RunResult> jmhAgent, Map<AgentVariant, Stats[]> appThread, double[] exporter, Map<String, double[]> latency, long agentJarBytes,
            long otelJarBytes, String otelVersion, int runs, Instant began, long seconds, String loadBefore,
            String loadAfter) {
        this.startup = startup;
        this.jmhNone = jmhNone;
        this.jmhAgent = jmhAgent;
        this.appThread = appThread;
        this.exporter = exporter;
        this.latency = latency;
        this.agentJarBytes = agentJarBytes;
        this.otelJarBytes = otelJarBytes;
        this.otelVersion = otelVersion;
        this.runs = runs;
        this.began = began;
        this.seconds = seconds;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
    }

    private List<String> extraRows = List.of();

    /** Rows of the figures measured since the table's first form, printed before the jar's. */
    Report withRows(List<String> rows) {
        this.extraRows = rows;
        return this;
    }

    /** {@code +d unit (none → agent unit)} of two medians, scaled. */
    static String added(Stats none, Stats agent, double scale, String unit) {
        return String.format("%+.2f %s (%s → %s %s)", (agent.median() - none.median()) * scale, unit,
                none.scaled(scale).format("%.2f"), agent.scaled(scale).format("%.2f"), unit);
    }

    /** The web server under load: p50, p99, CPU and RSS of each agent against no agent, and the traces kept. */
    static List<String> loadRows(List<WebServerLoad.Result> load, int rate, int warmup, int seconds) {
        WebServerLoad.Result none = load.get(0);
        List<String> rows = new java.util.ArrayList<>();
        String ours = "";
        String otel = "";
        for (WebServerLoad.Result result : load.subList(1, load.size())) {
            String cell = String.format("%s: p50 %+.1f %% (%.1f → %.1f ms), p99 %+.1f %% (%.1f → %.1f ms), CPU %+.1f %%"
                    + " (%.2f → %.2f s), RSS %+.0f MiB (%.0f → %.0f MiB), %d of %d requests failed%s",
                    result.variant(), 100 * (result.p50Millis() / none.p50Millis() - 1), none.p50Millis(), result.p50Millis(),
                    100 * (result.p99Millis() / none.p99Millis() - 1), none.p99Millis(), result.p99Millis(),
                    100 * (result.cpuSeconds() / none.cpuSeconds() - 1), none.cpuSeconds(), result.cpuSeconds(),
                    result.rssMiB() - none.rssMiB(), none.rssMiB(), result.rssMiB(), result.failed(), result.sent(),
                    result.exported() < 0 ? "" : String.format(", %d traces exported, %d dropped; exporter thread %.0f µs CPU"
                            + " per request", result.exported(), result.dropped(), result.exporterMicrosPerRequest()));
            if (result.variant().startsWith("OpenTelemetry")) {
                otel = cell;
            } else {
                ours = ours.isEmpty() ? cell : ours + "<br>" + cell;
            }
        }
        rows.add(row("web server under load: Jetty, one chat call per request to a stand-in answering in "
                + WebServerLoad.ANSWER_MILLIS + " ms, " + rate + " req/s open loop for " + seconds
                + " s (LOAD_SECONDS) after " + warmup + " s of warm-up; CPU and RSS of the server process", "p99 ≤ +1 %, CPU ≤ +3 %, RSS ≤ +20 MiB, 0 dropped", ours, otel));
        return rows;
    }

    /** The {@link HandOffBenchmark} runs without and with the agent. */
    Report withHandOffs(List<RunResult> none, List<RunResult> agent) {
        this.handOffNone = none;
        this.handOffAgent = agent;
        return this;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Measured ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(began))
                .append(" on ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append("; `benchmarks/run` took ").append(seconds / 60).append(" min ").append(seconds % 60)
                .append(" s; load average (1 min) ").append(loadBefore).append(" at the start, ").append(loadAfter)
                .append(" at the end (above the core count, wall times and latencies include waiting for a CPU).\n\n");
        md.append("| figure | budget | wandb-agent | OpenTelemetry agent ").append(otelVersion).append(" (exporters off) |\n");
        md.append("|---|---|---|---|\n");
        md.append(startupRows(startup, runs));
        double nsNone = BenchmarkRun.score(jmhNone, null);
        double nsAgent = BenchmarkRun.score(jmhAgent, null);
        double bytesNone = BenchmarkRun.score(jmhNone, "gc.alloc.rate.norm");
        double bytesAgent = BenchmarkRun.score(jmhAgent, "gc.alloc.rate.norm");
        Stats[] threadNone = appThread.get(AgentVariant.NONE);
        Stats[] threadAgent = appThread.get(AgentVariant.WANDB);
        md.append(row("app-thread CPU time added per traced openai-java call (thread CPU clock, agent − none, median of 3 JVMs each)",
                "≤ 3 µs", String.format("%+.2f µs (%s → %s µs)", (threadAgent[0].median() - threadNone[0].median()) / 1000,
                        threadNone[0].scaled(1e-3).format("%.2f"), threadAgent[0].scaled(1e-3).format("%.2f")), "not measured"));
        md.append(row("bytes allocated by the app thread per call (agent − none)", "",
                String.format("%+.0f B (%s → %s B)", threadAgent[1].median() - threadNone[1].median(),
                        threadNone[1].format("%.0f"), threadAgent[1].format("%.0f")), "not measured"));
        md.append(row("time per call, JMH average (agent − none; ± is the larger 99.9 % error)", "",
                String.format("%+.2f ± %.2f µs (%.2f → %.2f µs)", (nsAgent - nsNone) / 1000,
                        Math.max(BenchmarkRun.error(jmhNone), BenchmarkRun.error(jmhAgent)) / 1000, nsNone / 1000, nsAgent / 1000),
                "not measured"));
        md.append(row("bytes allocated per call, all threads (JMH -prof gc, agent − none; includes the exporter thread)", "",
                String.format("%+.0f B (%.0f → %.0f B)", bytesAgent - bytesNone, bytesNone, bytesAgent), "not measured"));
        if (handOffNone != null) {
            for (String benchmark : new String[] {"submit", "forkJoinTaskInPlace"}) {
                md.append(row("added time per hand-off to a JDK executor (`" + benchmark + "`, JMH average, agent − none;"
                        + " ± the larger 99.9 % error)", "", handOff(benchmark, "false") + " without a current span; "
                        + handOff(benchmark, "true") + " with one", "not measured"));
            }
        }
        md.append(row("exporter throughput, file sink, 5-span traces, 2 KB prompts / 1 KB answers", "≥ 20,000 spans/s",
                String.format("%,.0f spans/s (%.0f traces dropped)", exporter[0], exporter[2]), "n/a"));
        md.append(row("live heap the exporter pipeline holds at that rate (after full GC, over baseline)", "",
                String.format("%.1f MiB", exporter[1] / MIB), "n/a"));
        double[] up = latency.get("file sink up");
        double[] down = latency.get("file sink down");
        md.append(row("app latency of a traced call at 1,000 calls/s, sink down vs up (p50; p99)", "p99 within 1 %",
                String.format("p50 %+.1f %% (%.1f → %.1f µs); p99 %+.1f %% (%.1f → %.1f µs)",
                        100 * (down[0] / up[0] - 1), up[0] / 1000, down[0] / 1000,
                        100 * (down[1] / up[1] - 1), up[1] / 1000, down[1] / 1000), "n/a"));
        for (String extra : extraRows) {
            md.append(extra);
        }
        md.append(row("agent jar", "≤ 5 MB", String.format("%.2f MB (%,d bytes)", agentJarBytes / 1e6, agentJarBytes),
                String.format("%.2f MB (%,d bytes)", otelJarBytes / 1e6, otelJarBytes)));

        md.append(startupDetail(startup, runs));
        return md.toString();
    }

    private String handOff(String benchmark, String spanCurrent) {
        RunResult none = find(handOffNone, benchmark, spanCurrent);
        RunResult agent = find(handOffAgent, benchmark, spanCurrent);
        double nsNone = none.getPrimaryResult().getScore();
        double nsAgent = agent.getPrimaryResult().getScore();
        return String.format("%+.0f ± %.0f ns (%.0f → %.0f ns)", nsAgent - nsNone,
                Math.max(none.getPrimaryResult().getScoreError(), agent.getPrimaryResult().getScoreError()), nsNone, nsAgent);
    }

    private static RunResult find(List<RunResult> results, String benchmark, String spanCurrent) {
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().endsWith("." + benchmark)
                    && spanCurrent.equals(result.getParams().getParam("spanCurrent"))) {
                return result;
            }
        }
        throw new IllegalStateException("no result for " + benchmark + " spanCurrent=" + spanCurrent);
    }

    /** The ratio rows of each startup app: wall and CPU time agent ÷ none, peak RSS added. */
    static String startupRows(Map<String, Map<AgentVariant, List<ChildJvm.Result>>> startup, int runs) {
        StringBuilder md = new StringBuilder();
        for (String app : startup.keySet()) {
            md.append(row("startup wall time, " + app + " app, agent ÷ none (median of " + runs + ")", "≤ 1.05",
                    ratio(startup, app, AgentVariant.WANDB, ChildJvm.Result::wallSeconds)
                            + floor(ratio(startup, app, AgentVariant.NOOP, ChildJvm.Result::wallSeconds)),
                    ratio(startup, app, AgentVariant.OTEL, ChildJvm.Result::wallSeconds)));
            md.append(row("startup CPU time (user+sys), " + app + ", agent ÷ none", "",
                    ratio(startup, app, AgentVariant.WANDB, ChildJvm.Result::cpuSeconds)
                            + floor(ratio(startup, app, AgentVariant.NOOP, ChildJvm.Result::cpuSeconds)),
                    ratio(startup, app, AgentVariant.OTEL, ChildJvm.Result::cpuSeconds)));
            md.append(row("peak RSS added, " + app + " (median agent − median none)", "≤ 20 MiB",
                    added(startup, app, AgentVariant.WANDB) + floor(added(startup, app, AgentVariant.NOOP)),
                    added(startup, app, AgentVariant.OTEL)));
        }
        return md.toString();
    }

    /** Median (min–max) of each app under each agent. */
    static String startupDetail(Map<String, Map<AgentVariant, List<ChildJvm.Result>>> startup, int runs) {
        StringBuilder md = new StringBuilder();
        md.append("\nStartup detail, median (min–max) of ").append(runs).append(" interleaved runs:\n\n");
        md.append("| app | agent | wall s | CPU s | peak RSS MiB |\n|---|---|---|---|---|\n");
        for (Map.Entry<String, Map<AgentVariant, List<ChildJvm.Result>>> app : startup.entrySet()) {
            for (Map.Entry<AgentVariant, List<ChildJvm.Result>> agent : app.getValue().entrySet()) {
                md.append("| ").append(app.getKey()).append(" | ").append(agent.getKey().label).append(" | ")
                        .append(stats(agent.getValue(), ChildJvm.Result::wallSeconds).format("%.2f")).append(" | ")
                        .append(stats(agent.getValue(), ChildJvm.Result::cpuSeconds).format("%.2f")).append(" | ")
                        .append(stats(agent.getValue(), ChildJvm.Result::peakRssMiB).format("%.0f")).append(" |\n");
            }
        }
        return md.toString();
    }

    /** The same figure for a no-op class-file transformer ({@link NoopTransformerAgent}), the floor under any weaving agent. */
    private static String floor(String figure) {
        return "<br>no-op transformer: " + figure;
    }

    static String row(String figure, String budget, String ours, String otel) {
        return "| " + figure + " | " + budget + " | " + ours + " | " + otel + " |\n";
    }

    private static String ratio(Map<String, Map<AgentVariant, List<ChildJvm.Result>>> startup, String app,
            AgentVariant agent, ToDoubleFunction<ChildJvm.Result> figure) {
        Stats with = stats(startup.get(app).get(agent), figure);
        Stats none = stats(startup.get(app).get(AgentVariant.NONE), figure);
        return String.format("×%.2f (%.2f s vs %.2f s; runs %.2f–%.2f s)", with.median() / none.median(),
                with.median(), none.median(), with.min(), with.max());
    }

    private static String added(Map<String, Map<AgentVariant, List<ChildJvm.Result>>> startup, String app,
            AgentVariant agent) {
        Stats with = stats(startup.get(app).get(agent), ChildJvm.Result::peakRssMiB);
        Stats none = stats(startup.get(app).get(AgentVariant.NONE), ChildJvm.Result::peakRssMiB);
        return String.format("%+.0f MiB (%.0f vs %.0f MiB)", with.median() - none.median(), with.median(), none.median());
    }

    private static Stats stats(List<ChildJvm.Result> results, ToDoubleFunction<ChildJvm.Result> figure) {
        return Stats.of(results.stream().map(figure::applyAsDouble).toList());
    }
}
