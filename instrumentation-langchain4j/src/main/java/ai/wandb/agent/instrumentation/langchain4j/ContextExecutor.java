package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.lang.reflect.Field;
import java.util.concurrent.Executor;

/**
 * The executor LangChain4j runs concurrent tools on, made to carry the span current at submission
 * (the AI service span) to the worker thread, so tool spans nest under it there too.
 */
final class ContextExecutor implements Executor {
  private final Executor delegate;

  ContextExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  /**
   * Wraps the executor a {@code ToolService} keeps in its {@code executor} field (what
   * {@code executeToolsConcurrently} just set). Called once per AI service build, so reflection is cheap
   * here; a version without the field throws.
   */
  static void wrapField(Object toolService) throws ReflectiveOperationException {
    Field field = toolService.getClass().getDeclaredField("executor");
    field.setAccessible(true);
    field.set(toolService, wrap(field.get(toolService)));
  }

  /** Wraps once; null and already wrapped executors pass through. */
  static Object wrap(Object executor) {
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
