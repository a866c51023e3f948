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
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * and the traces dropped.
 */
public final class ExporterThroughput {
    private static final int QUEUE = 2048;
    private static final String PROMPT = text(2048);
    private static final String ANSWER = text(1024);

    /**
     * Sinks by name, each made from its target (a directory for the file sink). A W&B sink joins with one
     * entry here once it exists, its target the base URL of the loopback W&B test server
     * ({@code test-servers}); benchmarks/run passes the name and the target.
     */
    private static final Map<String, Function<String, Sink>> SINKS = Map.of(
            "file", dir -> new FileSink(Paths.get(dir), new RunInfo("bench0001", "exporter-throughput")));

    /**
     * Sink {@code agent}: the sinks the agent itself would build from this JVM's environment
     * ({@code WANDB_EXPORTERS}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}, ...), through its own factory, so the
     * network sinks are measured as configured; the target is then the directory of their spool.
     */
    @SuppressWarnings("unchecked")
    private static List<Sink> agentSinks(String dir) throws Exception {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(System.getProperties());
        properties.setProperty("wandb.dir", dir);
        Object config = AgentConfig.load(null, System.getenv(), properties, null);
        java.lang.reflect.Method create = Class.forName("ai.wandb.agent.bootstrap.Sinks")
                .getDeclaredMethod("create", AgentConfig.class, RunInfo.class, RunSink.ExitCode.class);
        create.setAccessible(true);
        RunSink.ExitCode exit = () -> 0;
        return (List<Sink>) create.invoke(null, config, new RunInfo("bench0001", "exporter-throughput"), exit);
    }

    private ExporterThroughput() {}

    public static void main(String[] args) throws Exception {
        Function<String, Sink> sinkFactory = SINKS.get(args[0]);
        if (sinkFactory == null && !args[0].equals("agent")) {
            throw new IllegalArgumentException("unknown sink " + args[0] + "; known: agent, " + SINKS.keySet());
        }
        long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        long measureNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        long baseline = liveHeap();
        List<Sink> sinks = sinkFactory == null ? agentSinks(args[1]) : Collections.singletonList(sinkFactory.apply(args[1]));
        Exporter exporter = new Exporter(sinks, QUEUE, 1000);
        Tracer.setListener(exporter);
        ExportStats stats = exporter.stats();

        long produced = 0;
        long begin = System.nanoTime();
        long measureStart = begin + warmupNanos;
        long measureEnd = measureStart + measureNanos;
        long spansAtStart = -1;
        while (true) {
            long now = System.nanoTime();
            if (spansAtStart < 0 && now >= measureStart) {
                spansAtStart = stats.spansExported();
                measureStart = now;
            }
            if (now >= measureEnd) {
                break;
            }
            if (produced - stats.tracesExported() - stats.tracesDropped() < QUEUE / 2) {
                oneTrace();
                produced++;
            } else {
                // Parked, not spinning: on 2 cores a spinning producer would take the exporter's CPU.
                LockSupport.parkNanos(20_000);
            }
        }
        long spans = stats.spansExported() - spansAtStart;
        double seconds = (System.nanoTime() - measureStart) / 1e9;
        long held = liveHeap() - baseline;
        exporter.shutdown(10_000);
        System.out.printf("RESULT spans_per_s=%.0f live_heap_bytes=%d dropped=%d failures=%d%n",
                spans / seconds, held, stats.tracesDropped(), stats.exportFailures());
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
