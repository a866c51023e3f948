package ai.wandb.agent.instrumentation.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.testing.AgentHarness;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Work handed to the JDK's executors from inside a span runs with that span current, with the
 * instrumentation installed into this JVM as premain installs it (the JDK classes are retransformed).
 */
class ContextPropagationTest {
  private static ExecutorService pool;
  private static ScheduledExecutorService scheduler;

  private Span outer;

  @BeforeAll
  static void install() {
    AgentHarness.install(new ExecutorsInstrumentationModule());
    pool = Executors.newFixedThreadPool(2);
    scheduler = Executors.newScheduledThreadPool(1);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    scheduler.shutdownNow();
  }

  @AfterEach
  void endOuter() {
    if (outer != null) {
      Tracer.end(outer, null, null);
    }
    assertNull(Tracer.current());
  }

  private Span startOuter() {
    outer = Tracer.start("outer", SpanKind.AGENT, null, null);
    return outer;
  }

  @Test
  void threadPoolExecuteSubmitAndInvokeAll() throws Exception {
    Span span = startOuter();
    AtomicReference<Span> seen = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    pool.execute(() -> {
      seen.set(Tracer.current());
      done.countDown();
    });
    assertTrue(done.await(30, TimeUnit.SECONDS));
    assertSame(span, seen.get());

    assertSame(span, pool.submit(Tracer::current).get());
    assertSame(span, pool.submit(() -> seen.set(Tracer.current()), "ok").get() == "ok" ? seen.get() : null);
    List<Callable<Span>> tasks = Collections.nCopies(4, Tracer::current);
    for (Future<Span> result : pool.invokeAll(tasks)) {
      assertSame(span, result.get());
    }
  }

  @Test
  void theWorkerGetsItsOwnContextBackAfterTheTask() throws Exception {
    Span span = startOuter();
    assertSame(span, pool.submit(Tracer::current).get());
    Tracer.end(outer, null, null);
    outer = null;
    // Two threads, four tasks: each worker has run a task with the span before.
    for (int i = 0; i < 4; i++) {
      assertNull(pool.submit(Tracer::current).get());
    }
  }

  @Test
  void scheduledOnceAndPeriodically() throws Exception {
    Span span = startOuter();
    assertSame(span, scheduler.schedule(Tracer::current, 1, TimeUnit.MILLISECONDS).get());

    List<Span> runs = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch three = new CountDownLatch(3);
    ScheduledFuture<?> periodic = scheduler.scheduleAtFixedRate(() -> {
      runs.add(Tracer.current());
      three.countDown();
    }, 0, 1, TimeUnit.MILLISECONDS);
    assertTrue(three.await(30, TimeUnit.SECONDS));
    periodic.cancel(false);
    for (Span run : runs.subList(0, 3)) {
      assertSame(span, run);
    }
  }

  @Test
  void forkJoinCommonPoolSubmitAndForkedSubtasks() throws Exception {
    Span span = startOuter();
    assertSame(span, ForkJoinPool.commonPool().submit(Tracer::current).get());
    List<Span> leaves = Collections.synchronizedList(new ArrayList<>());
    ForkJoinPool.commonPool().invoke(new Split(0, 64, leaves));
    assertEquals(64, leaves.size());
    for (Span leaf : leaves) {
      assertSame(span, leaf);
    }
  }

  /** Splits its range in two forked halves down to single leaves. */
  static final class Split extends RecursiveTask<Integer> {
    private static final long serialVersionUID = 1L;
    private final int from;
    private final int to;
    private final List<Span> leaves;

    Split(int from, int to, List<Span> leaves) {
      this.from = from;
      this.to = to;
      this.leaves = leaves;
    }

    @Override
    protected Integer compute() {
      if (to - from == 1) {
        leaves.add(Tracer.current());
        return 1;
      }
      int middle = (from + to) / 2;
      Split left = new Split(from, middle, leaves);
      Split right = new Split(middle, to, leaves);
      left.fork();
      return right.compute() + left.join();
    }
  }

  @Test
  void parallelStreams() {
    Span span = startOuter();
    List<Span> seen = IntStream.range(0, 200).parallel().mapToObj(i -> Tracer.current()).collect(Collectors.toList());
    for (Span each : seen) {
      assertSame(span, each);
    }
  }

  @Test
  void completableFutureAsyncStagesOnTheDefaultAndACustomExecutor() throws Exception {
    Span span = startOuter();
    assertSame(span, CompletableFuture.supplyAsync(Tracer::current).get());
    assertSame(span, CompletableFuture.supplyAsync(Tracer::current, pool).get());

    CompletableFuture<String> gate = new CompletableFuture<>();
    CompletableFuture<Span> onDefault = gate.thenApplyAsync(value -> Tracer.current());
    CompletableFuture<Span> onPool = gate.thenApplyAsync(value -> Tracer.current(), pool);
    // Completed from a thread without a span: the stages keep the span they were created under.
    Thread completer = new Thread(() -> gate.complete("go"));
    completer.start();
    completer.join();
    assertSame(span, onDefault.get());
    assertSame(span, onPool.get());
  }

  @Test
  void virtualThreadsAndThreadPerTaskExecutors() throws Throwable {
    assumeTrue(Runtime.version().feature() >= 21, "virtual threads arrived in Java 21");
    Span span = startOuter();
    ExecutorService virtual = (ExecutorService) MethodHandles.publicLookup()
        .findStatic(Executors.class, "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class))
        .invoke();
    try {
      assertSame(span, virtual.submit(Tracer::current).get());
    } finally {
      virtual.shutdown();
    }
    ThreadFactory platform = (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory")
        .invoke(Thread.class.getMethod("ofPlatform").invoke(null));
    ExecutorService perTask = (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
        .invoke(null, platform);
    try {
      assertSame(span, perTask.submit(Tracer::current).get());
    } finally {
      perTask.shutdown();
    }
    AtomicReference<Span> seen = new AtomicReference<>();
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    Thread thread = (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class)
        .invoke(builder, (Runnable) () -> seen.set(Tracer.current()));
    thread.join();
    assertSame(span, seen.get());
  }

  @Test
  void withoutACurrentSpanNothingIsCapturedAndNothingIsCurrentInTheTask() throws Exception {
    int before = HandOffs.pending();
    assertNull(pool.submit(Tracer::current).get());
    assertNull(CompletableFuture.supplyAsync(Tracer::current).get());
    assertNull(ForkJoinPool.commonPool().submit(Tracer::current).get());
    assertTrue(HandOffs.pending() <= before);
  }

  @Test
  void aFailingTaskShowsTheSameStackTraceAsWithoutTheAgent() throws Exception {
    startOuter();
    Supplier<Object> failing = () -> {
      throw new IllegalStateException("task failed");
    };
    Throwable onPool = cause(pool.submit(failing::get));
    Throwable async = cause(CompletableFuture.supplyAsync(failing));
    for (Throwable thrown : List.of(onPool, async)) {
      assertEquals("task failed", thrown.getMessage());
      for (StackTraceElement frame : thrown.getStackTrace()) {
        assertTrue(!frame.getClassName().startsWith("ai.wandb.agent.api")
            && !frame.getClassName().contains(".executors.HandOffs"), frame.toString());
      }
    }
    // The worker ran a task that threw: it has its own (no) context back.
    Tracer.end(outer, null, null);
    outer = null;
    for (int i = 0; i < 4; i++) {
      assertNull(pool.submit(Tracer::current).get());
    }
  }

  private static Throwable cause(Future<?> future) throws InterruptedException {
    try {
      future.get();
      throw new AssertionError("the task should have failed");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
