package ai.wandb.agent.bench;

import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What context propagation adds to handing work to a JDK executor, on the thread that hands it off: a
 * batch of {@code submit}s to a one-thread pool (hand-off, queue, run on the worker), and a fork/join
 * task run in place (its capture, attach and restore without any thread switch). Run without and with
 * {@code -javaagent}; {@code spanCurrent=true} makes a span current on the benchmark thread first (only
 * possible with the agent, whose classes the app otherwise never sees), so the capture path runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandOffBenchmark {
    private static final int BATCH = 1000;
    private static final Callable<Integer> TASK = () -> 1;

    @Param({"false", "true"})
    public boolean spanCurrent;

    private ThreadPoolExecutor pool;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        if (spanCurrent) {
            startSpanIfTheAgentIsThere();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object submit() throws Exception {
        Future<Integer> last = null;
        for (int i = 0; i < BATCH; i++) {
            last = pool.submit(TASK);
        }
        return last.get();
    }

    @Benchmark
    public Integer forkJoinTaskInPlace() {
        return ForkJoinTask.adapt(TASK).invoke();
    }

    /** Tracer.start("bench", SpanKind.CHAIN, null, null) on this thread, through the agent jar on the class path. */
    private static void startSpanIfTheAgentIsThere() throws Exception {
        Class<?> tracer;
        try {
            tracer = Class.forName("ai.wandb.agent.api.Tracer", true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            return;
        }
        Class<?> kind = Class.forName("ai.wandb.agent.api.SpanKind", true, ClassLoader.getSystemClassLoader());
        Class<?> renderer = Class.forName("ai.wandb.agent.api.SpanRenderer", true, ClassLoader.getSystemClassLoader());
        tracer.getMethod("start", String.class, kind, Object.class, renderer)
                .invoke(null, "bench", kind.getField("CHAIN").get(null), null, null);
    }
}
