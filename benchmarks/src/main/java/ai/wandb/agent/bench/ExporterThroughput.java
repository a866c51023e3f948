package ai.wandb.agent.bench;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.config.AgentConfig;
import ai.wandb.agent.export.ExportStats;
import ai.wandb.agent.export.Exporter;
import ai.wandb.agent.export.FileSink;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.Sink;
import ai.wandb.agent.export.run.RunSink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Spans per second through the agent's real {@link Exporter} into a sink, in a child JVM whose class path
 * is the built agent jar: {@code ExporterThroughput <sink> <target> <warm-up s> <measured s>}. Traces are
 * nested (an agent span over an LLM call, a tool call and a chain with another LLM call: 5 spans), and
 * every span carries a 2 KB prompt and a 1 KB answer. The producer keeps at most half the queue in
 * flight, so the figure is what the exporter sustains, not how fast a full queue drops. Prints one
 * {@code RESULT} line: spans/s, the live heap the pipeline holds (after a full GC, over the baseline)
 * and the traces dropped; for the W&B sinks also what reached the server (below); and before it each
 * sink's exit note (what it dropped or left spooled) and the CPU time of each thread in the window.
 *
 * <p>Sinks {@code weave} and {@code run}: the agent's factory builds the sink from
 * {@code wandb.exporters}, an API key and {@code wandb.base_url} pointing at a {@link DiscardingWandb}
 * in this JVM (so its counts can be read at the window's edges). These sinks hand each batch to a
 * spool on disk and send it from another thread, so the producer also keeps at most {@link #END_TO_END}
 * traces ahead of what the server received; spans/s is what the exporter handed over, and
 * {@code delivered_spans_per_s} what the server received in the same window ({@code run}: history
 * rows, one per 5-span trace), with the totals received by the end of the shutdown flush.
 */
public final class ExporterThroughput {
    private static final int QUEUE = 2048;
    private static final String PROMPT = text(2048);
    private static final String ANSWER = text(1024);

    /**
     * Sinks made here by name from their target (a directory for the file sink); benchmarks/run passes
     * the name and the target. The network sinks come from the agent's factory instead ({@code agent},
     * {@link #WANDB_SINKS}).
     */
    private static final Map<String, Function<String, Sink>> SINKS = Map.of(
            "file", dir -> new FileSink(Paths.get(dir), new RunInfo("bench0001", "exporter-throughput")));

    /**
     * Sink {@code agent}: the sinks the agent itself would build from this JVM's environment
     * ({@code WANDB_EXPORTERS}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}, ...), through its own factory, so the
     * network sinks are measured as configured; the target is then the directory of their spool.
     */
    @SuppressWarnings("unchecked")
    private static List<Sink> agentSinks(String dir, Map<String, String> settings) throws Exception {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(System.getProperties());
        properties.setProperty("wandb.dir", dir);
        properties.putAll(settings);
        Object config = AgentConfig.load(null, System.getenv(), properties, null);
        java.lang.reflect.Method create = Class.forName("ai.wandb.agent.bootstrap.Sinks")
                .getDeclaredMethod("create", AgentConfig.class, RunInfo.class, RunSink.ExitCode.class);
        create.setAccessible(true);
        RunSink.ExitCode exit = () -> 0;
        return (List<Sink>) create.invoke(null, config, new RunInfo("bench0001", "exporter-throughput"), exit);
    }

    private ExporterThroughput() {}

    /** The W&B sinks, measured against a {@link DiscardingWandb}. */
    private static final List<String> WANDB_SINKS = List.of("weave", "run");
    private static final int SPANS_PER_TRACE = 5;
    /**
     * W&B sinks: traces made and not yet received by the server. Their exporter-side work is small and
     * their sender's large, so unbounded the exporter hands over far more than is sent (12,000 and
     * 19,500 spans/s against ~1,800 received, load ~6) and the spool overflows; bounded, the figure is
     * what the whole path sustains without a drop. A quarter of the queue: the Weave sink's own queue
     * holds 4 × 2,048 events, 10 a trace (each span's start and end), and overflows beyond ~800 traces.
     */
    private static final int END_TO_END = QUEUE / 4;

    public static void main(String[] args) throws Exception {
        Function<String, Sink> sinkFactory = SINKS.get(args[0]);
        boolean wandbSink = WANDB_SINKS.contains(args[0]);
        if (sinkFactory == null && !args[0].equals("agent") && !wandbSink) {
            throw new IllegalArgumentException("unknown sink " + args[0] + "; known: agent, " + WANDB_SINKS + ", " + SINKS.keySet());
        }
        long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        long measureNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        long baseline = liveHeap();
        DiscardingWandb wandb = wandbSink ? DiscardingWandb.start() : null;
        List<Sink> sinks = sinkFactory != null ? Collections.singletonList(sinkFactory.apply(args[1]))
                : agentSinks(args[1], wandb == null ? Map.of() : Map.of("wandb.exporters", args[0],
                        "wandb.api_key", DiscardingWandb.API_KEY, "wandb.base_url", wandb.baseUrl(),
                        "wandb.project", "exporter-throughput"));
        Exporter exporter = new Exporter(sinks, QUEUE, 1000);
        // A sink that wants span starts (Weave) has each span's start queued too: 6 queue entries a trace.
        boolean starts = sinks.stream().anyMatch(Sink::wantsStartEvents);
        int inFlight = starts ? QUEUE / 2 / (1 + SPANS_PER_TRACE) : QUEUE / 2;
        Tracer.setListener(exporter);
        ExportStats stats = exporter.stats();

        long produced = 0;
        long begin = System.nanoTime();
        long measureStart = begin + warmupNanos;
        long measureEnd = measureStart + measureNanos;
        long spansAtStart = -1;
        Map<String, Long> cpuAtStart = Map.of();
        long deliveredAtStart = 0;
        while (true) {
            long now = System.nanoTime();
            if (spansAtStart < 0 && now >= measureStart) {
                cpuAtStart = threadCpu();
                spansAtStart = stats.spansExported();
                deliveredAtStart = delivered(args[0], wandb);
                measureStart = now;
            }
            if (now >= measureEnd) {
                break;
            }
            boolean room = produced - stats.tracesExported() - stats.tracesDropped() < inFlight
                    && (wandb == null || produced - delivered(args[0], wandb) / SPANS_PER_TRACE < END_TO_END);
            if (room) {
                oneTrace();
                produced++;
            } else {
                // Parked, not spinning: on 2 cores a spinning producer would take the exporter's CPU.
                LockSupport.parkNanos(20_000);
            }
        }
        long spans = stats.spansExported() - spansAtStart;
        long deliveredInWindow = delivered(args[0], wandb) - deliveredAtStart;
        Map<String, Long> cpuAtEnd = threadCpu();
        double seconds = (System.nanoTime() - measureStart) / 1e9;
        long held = liveHeap() - baseline - (wandb == null ? 0 : wandb.bufferBytes.get());
        exporter.shutdown(10_000);
        for (Sink sink : sinks) {
            if (sink.exitNote() != null) {
                System.out.println("NOTE " + sink.exitNote());
            }
        }
        String received = "";
        if (wandb != null) {
            received = String.format(" delivered_spans_per_s=%.0f produced_spans=%d received_spans=%d"
                    + " received_call_starts=%d received_requests=%d received_bytes=%d refused_requests=%d",
                    deliveredInWindow / seconds, produced * SPANS_PER_TRACE, delivered(args[0], wandb),
                    wandb.callStarts.get(), wandb.requests.get(), wandb.bytes.get(), wandb.refused.get());
            wandb.close();
        }
        StringBuilder cpu = new StringBuilder("CPU ms by thread in the window:");
        for (Map.Entry<String, Long> thread : cpuAtEnd.entrySet()) {
            long ms = (thread.getValue() - cpuAtStart.getOrDefault(thread.getKey(), 0L)) / 1_000_000;
            if (ms > 0) {
                cpu.append(' ').append(thread.getKey().replace(' ', '_')).append('=').append(ms);
            }
        }
        System.out.println(cpu);
        System.out.printf("RESULT spans_per_s=%.0f live_heap_bytes=%d dropped=%d failures=%d%s%n",
                spans / seconds, held, stats.tracesDropped(), stats.exportFailures(), received);
    }

    /** Spans the server received: Weave call ends (each call's start came before or with it), or run history rows × 5. */
    private static long delivered(String sink, DiscardingWandb wandb) {
        if (wandb == null) {
            return 0;
        }
        return sink.equals("run") ? wandb.historyRows.get() * SPANS_PER_TRACE : wandb.callEnds.get();
    }

    private static void oneTrace() {
        Span root = Tracer.start("agent.run", SpanKind.AGENT, PROMPT, Payload.INSTANCE);
        leaf("openai.chat.completions.create", SpanKind.LLM);
        leaf("tool.search", SpanKind.TOOL);
        Span chain = Tracer.start("chain.summarize", SpanKind.CHAIN, PROMPT, Payload.INSTANCE);
        leaf("openai.chat.completions.create", SpanKind.LLM);
        Tracer.end(chain, ANSWER, null);
        Tracer.end(root, ANSWER, null);
    }

    private static void leaf(String name, SpanKind kind) {
        Span span = Tracer.start(name, kind, PROMPT, Payload.INSTANCE);
        Tracer.end(span, ANSWER, null);
    }

    /**
     * CPU time of each live thread, summed by name: the agent's threads' share of a window, which the
     * machine's load moves far less than the spans/s figure.
     */
    private static Map<String, Long> threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            long nanos = info == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                out.merge(info.getThreadName(), nanos, Long::sum);
            }
        }
        return out;
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String text(int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            text.append("The quick brown fox jumps over the lazy dog, and \"quotes\" need escaping. ");
        }
        return text.substring(0, length);
    }

    /** Renders the prompt and the answer the way an LLM span holds them: chat messages in, a choice out. */
    private enum Payload implements SpanRenderer {
        INSTANCE;

        @Override
        public void renderStart(Span span) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", "user");
            message.put("content", span.request());
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("model", CannedChat.MODEL);
            inputs.put("messages", List.of(message));
            span.setInputs(inputs);
            span.setAttribute("gen_ai.request.model", CannedChat.MODEL);
        }

        @Override
        public void renderEnd(Span span) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", "assistant");
            message.put("content", span.response());
            Map<String, Object> outputs = new LinkedHashMap<>();
            outputs.put("choices", List.of(Map.of("index", 0, "message", message, "finish_reason", "stop")));
            span.setOutputs(outputs);
        }
    }
}
