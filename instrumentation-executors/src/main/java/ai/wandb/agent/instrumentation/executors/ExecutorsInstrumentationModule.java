package ai.wandb.agent.instrumentation.executors;

import static ai.wandb.agent.api.instrumentation.BridgeAdvice.THIS;
import static ai.wandb.agent.api.instrumentation.BridgeAdvice.aroundCalls;
import static ai.wandb.agent.api.instrumentation.BridgeAdvice.atEntry;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The current span follows work to the thread that runs it. Each task is captured where it is handed
 * off (see {@link HandOffs}) and its span attached where a worker calls it, in these JDK classes (Java
 * 11 and later; the same points from 11 to 25):
 *
 * <ul>
 *   <li>{@code ThreadPoolExecutor}: {@code execute} (what {@code submit} and {@code invokeAll} call with
 *       their {@code FutureTask}); {@code runWorker} around {@code task.run()}.
 *   <li>{@code ScheduledThreadPoolExecutor}: {@code delayedExecute} (every schedule) and
 *       {@code reExecutePeriodic} (the next run of a periodic task, captured while the previous run has
 *       the span); runs in {@code runWorker}.
 *   <li>{@code ForkJoinTask}: its constructor, which every fork/join task, every pool submission's
 *       adapter and every {@code CompletableFuture} async stage goes through on the thread that asks for
 *       the work; {@code doExec} around {@code exec()}.
 *   <li>{@code Thread.run}/{@code runWith} around {@code task.run()}: runs what a virtual thread
 *       ({@code VirtualThread}'s constructor), a thread-per-task executor ({@code newThread}) or a
 *       {@code CompletableFuture} without a common pool (one CPU) was given.
 * </ul>
 */
public final class ExecutorsInstrumentationModule implements InstrumentationModule {
  private static final String RUNNABLE = "java.lang.Runnable";

  @Override
  public String name() {
    return "executors";
  }

  @Override
  public List<String> classLoaderMarkers() {
    return Collections.emptyList();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.<TypeInstrumentation>asList(
        new JdkClassInstrumentation("java.util.concurrent.ThreadPoolExecutor",
            atEntry(MethodMatcher.named("execute").takesArguments(1).takesArgument(0, RUNNABLE), 0, HandOffs.CAPTURE),
            aroundCalls(MethodMatcher.named("runWorker"), RUNNABLE, "run", "()V", HandOffs.ATTACH, HandOffs.RESTORE)),
        new JdkClassInstrumentation("java.util.concurrent.ScheduledThreadPoolExecutor",
            atEntry(MethodMatcher.named("delayedExecute", "reExecutePeriodic").takesArguments(1), 0, HandOffs.CAPTURE)),
        new JdkClassInstrumentation("java.util.concurrent.ForkJoinTask",
            atEntry(MethodMatcher.constructors(), THIS, HandOffs.CAPTURE),
            aroundCalls(MethodMatcher.named("doExec"), "java.util.concurrent.ForkJoinTask", "exec", "()Z",
                HandOffs.ATTACH, HandOffs.RESTORE)),
        new JdkClassInstrumentation("java.lang.Thread",
            aroundCalls(MethodMatcher.named("run", "runWith"), RUNNABLE, "run", "()V", HandOffs.ATTACH, HandOffs.RESTORE)),
        new JdkClassInstrumentation("java.lang.VirtualThread",
            atEntry(MethodMatcher.constructors().takesArguments(4).takesArgument(3, RUNNABLE), 3, HandOffs.CAPTURE)),
        new JdkClassInstrumentation("java.util.concurrent.ThreadPerTaskExecutor",
            atEntry(MethodMatcher.named("newThread").takesArguments(1).takesArgument(0, RUNNABLE), 0, HandOffs.CAPTURE)));
  }
}
