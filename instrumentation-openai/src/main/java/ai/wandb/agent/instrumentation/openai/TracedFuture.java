package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * What an async raw call returns instead of the SDK's future: completed by the SDK's future, with the
 * {@code HttpResponseFor} wrapped (see {@link CallState}) or the failure recorded, and with the caller's
 * parent span current while it completes, so the SDK's own {@code thenApply(parse)} and every callback
 * the app chained run in the caller's context. Cancelling it cancels the SDK's future.
 */
final class TracedFuture<T> extends CompletableFuture<T> {
  private final CompletableFuture<?> source;

  private TracedFuture(CompletableFuture<?> source) {
    this.source = source;
  }

  static CompletableFuture<Object> of(final CallState state, CompletableFuture<?> source) {
    final TracedFuture<Object> traced = new TracedFuture<Object>(source);
    final Span parent = state.span.parent();
    source.whenComplete(new BiConsumer<Object, Throwable>() {
      @Override
      public void accept(Object response, Throwable error) {
        Span previous = Tracer.attach(parent);
        try {
          if (error != null) {
            state.failed(unwrap(error));
            traced.completeExceptionally(error);
          } else {
            traced.complete(response == null ? null : state.traced(response));
          }
        } finally {
          Tracer.restore(previous);
        }
      }
    });
    return traced;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    source.cancel(mayInterruptIfRunning);
    return super.cancel(mayInterruptIfRunning);
  }
}
