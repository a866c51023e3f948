package ai.wandb.agent.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hook path alone ({@link TracedStep}): one traced call, a trace of one span, per operation. Run
 * without and with {@code -javaagent} plus {@link TracedStep#AGENT_PROPERTIES}; the difference is the
 * agent's own app-thread work. {@code -prof gc} counts every thread, the exporter worker's rendering too;
 * {@link AppThreadCost} {@code hook} counts the calling thread alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class HookPathBenchmark {
    private final TracedStep step = new TracedStep();

    @Setup(Level.Trial)
    public void setUp() {
        TracedStep.useExporterWithoutSinks();
    }

    @Benchmark
    public String tracedCall() {
        return step.answer("What is 6 x 7?");
    }
}
