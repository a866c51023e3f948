package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.concurrent.Executor;

/**
 * The executor LangChain4j runs concurrent tools on, made to carry the span current at submission
 * (the AI service span) to the worker thread, so tool spans nest under it there too.
 */
public final class ContextExecutor implements Executor {
  private final Executor delegate;

  ContextExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  /** Wraps once; null and already wrapped executors pass through. */
  public static Object wrap(Object executor) {
    if (executor instanceof Executor && !(executor instanceof ContextExecutor)) {
      return new ContextExecutor((Executor) executor);
    }
    return executor;
  }

  @Override
  public void execute(final Runnable task) {
    final Span parent = Tracer.current();
    if (parent == null) {
      delegate.execute(task);
      return;
    }
    delegate.execute(new Runnable() {
      @Override
      public void run() {
        Span previous = Tracer.attach(parent);
        try {
          task.run();
        } finally {
          Tracer.restore(previous);
        }
      }
    });
  }
}
