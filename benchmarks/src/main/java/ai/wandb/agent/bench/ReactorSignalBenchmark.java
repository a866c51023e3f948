package ai.wandb.agent.bench;

import ai.wandb.agent.api.instrumentation.ReactorSignals;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/**
 * What observing a Reactor stream costs per signal, side by side: the stream alone, under Reactor's peek
 * operator with the four callbacks the Spring AI module gives it ({@code Flux.doOnSignal}, what it uses on
 * Java 8 to 14), and under the hidden subscriber ({@link ReactorSignals}, Java 15+). One operation is one
 * item of a {@value #ITEMS}-item stream (its subscription and completion spread over them); the callbacks
 * only count. Run on the benchmarks class path plus agent-api's jar:
 * {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/app-classpath.txt):agent-api/target/classes
 * org.openjdk.jmh.Main ReactorSignalBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(ReactorSignalBenchmark.ITEMS)
public class ReactorSignalBenchmark {
  static final int ITEMS = 1000;

  private final Flux<Integer> plain = Flux.range(0, ITEMS);
  private Flux<Integer> peek;
  private Flux<Integer> hidden;
  long seen;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() throws Exception {
    Method doOnSignal = Flux.class.getDeclaredMethod("doOnSignal", Flux.class, Consumer.class, Consumer.class,
        Consumer.class, Runnable.class, Runnable.class, LongConsumer.class, Runnable.class);
    doOnSignal.setAccessible(true);
    Consumer<Object> onNext = item -> seen++;
    Consumer<Object> onError = error -> seen++;
    Runnable onEnd = () -> seen++;
    peek = (Flux<Integer>) doOnSignal.invoke(null, plain, null, onNext, onError, onEnd, null, null, onEnd);
    hidden = (Flux<Integer>) new ReactorSignals() {
      @Override
      protected void onNext(Object item) {
        seen++;
      }

      @Override
      protected void onComplete() {
        seen++;
      }
    }.observed(plain);
    if (hidden == null) {
      throw new IllegalStateException("no hidden classes on this JVM");
    }
  }

  @Benchmark
  public long alone() {
    return drain(plain);
  }

  @Benchmark
  public long peekOperator() {
    return drain(peek);
  }

  @Benchmark
  public long hiddenSubscriber() {
    return drain(hidden);
  }

  private static long drain(Flux<Integer> flux) {
    Sum sum = new Sum();
    flux.subscribe(sum);
    return sum.total;
  }

  /** The app's subscriber: requests everything and adds the items up. */
  static final class Sum implements CoreSubscriber<Integer> {
    long total;

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Integer item) {
      total += item;
    }

    @Override
    public void onError(Throwable t) {
      total = -1;
    }

    @Override
    public void onComplete() {
      total++;
    }
  }
}
