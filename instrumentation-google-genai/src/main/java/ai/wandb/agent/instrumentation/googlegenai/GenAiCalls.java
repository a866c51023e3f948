package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/** What the hooks do on the app thread: start a span, then end it with what the call returned or hand it on. */
final class GenAiCalls {
  private GenAiCalls() {}

  /**
   * Starts the call's span, current while the SDK works. Returns null (no span) when the same call is
   * already traced one layer up: an SDK version whose async method runs the blocking one on another
   * thread hands it the same contents list.
   */
  static Span start(GenAiOperation operation, Object model, Object contents, Object config, Object apiClient) {
    Span current = Tracer.current();
    if (current != null && !current.isEnded() && current.request() instanceof GenAiRequest) {
      GenAiRequest outer = (GenAiRequest) current.request();
      if (outer.operation == operation && outer.contents == contents) {
        return null;
      }
    }
    return Tracer.start(operation.spanName, operation.kind,
        new GenAiRequest(operation, model instanceof String ? (String) model : null, contents, config, apiClient),
        GenAiRenderer.INSTANCE);
  }

  /** A blocking call returned (or threw): a stream is followed until it ends, anything else ends the span. */
  static void returned(Span span, Object result, Throwable thrown) {
    if (span == null) {
      return;
    }
    if (thrown != null || result == null || !((GenAiRequest) span.request()).operation.streaming) {
      Tracer.end(span, thrown == null ? result : null, thrown);
      return;
    }
    Tracer.exit(span);
    StreamCalls.follow(result, span);
  }

  /**
   * An async call returned its {@code CompletableFuture}: the app gets the SDK's future followed by one
   * {@code whenComplete} stage (a plain {@code CompletableFuture} like the SDK's, with the same result or
   * exception), so that a stream is followed before anything the app chained on it reads it.
   */
  @SuppressWarnings("unchecked")
  static Object returnedAsync(Span span, Object future, Throwable thrown) {
    if (span == null) {
      return future;
    }
    if (thrown != null || !(future instanceof CompletableFuture)) {
      Tracer.end(span, null, thrown);
      return future;
    }
    Tracer.exit(span);
    return ((CompletableFuture<Object>) future).whenComplete(new Completion(span));
  }

  static final class Completion implements BiConsumer<Object, Throwable> {
    private final Span span;

    Completion(Span span) {
      this.span = span;
    }

    @Override
    public void accept(Object result, Throwable error) {
      returned(span, result, unwrap(error));
    }
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
