package ai.wandb.agent.bench;

import com.openai.models.chat.completions.ChatCompletion;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One openai-java chat call against the in-memory endpoint, on the application thread. Run once in a
 * fork without the agent and once with {@code -javaagent}; the difference is what the agent costs the
 * calling thread (advice, span record, queue offer), and {@code -prof gc} gives the bytes it allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 8, time = 1)
public class ChatCallBenchmark {
    private final InMemoryChatApp app = new InMemoryChatApp();

    @Benchmark
    public ChatCompletion chatCompletion() {
        return app.call();
    }
}
