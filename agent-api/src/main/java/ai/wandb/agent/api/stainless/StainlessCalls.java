package ai.wandb.agent.api.stainless;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/** What a traced raw-response method does once it returned: hand its span's end to what it returned. */
final class StainlessCalls {
  private StainlessCalls() {}

  /** Blocking call returned {@code HttpResponseFor} (or threw): the app gets it unchanged, now watched. */
  static Object returned(StainlessSdk sdk, Span span, Object response, Throwable thrown) {
    if (span == null) {
      return response;
    }
    if (thrown != null || response == null) {
      Tracer.end(span, null, thrown);
      return response;
    }
    Tracer.exit(span);
    StainlessCall.of(span, sdk).responded(response);
    return response;
  }

  /**
   * Async call returned {@code CompletableFuture<HttpResponseFor>}: the app gets the SDK's future
   * followed by one {@code whenComplete} stage (a plain {@code CompletableFuture} like the SDK's own,
   * with the same result or the same exception object). Its action runs before anything chained on it,
   * and returns before that runs, so it is on no stack the app's code or the SDK's parsing sees.
   */
  @SuppressWarnings("unchecked")
  static Object returnedAsync(StainlessSdk sdk, Span span, Object future, Throwable thrown) {
    if (span == null) {
      return future;
    }
    if (thrown != null || !(future instanceof CompletableFuture)) {
      Tracer.end(span, null, thrown);
      return future;
    }
    Tracer.exit(span);
    return ((CompletableFuture<Object>) future).whenComplete(new Completion(StainlessCall.of(span, sdk)));
  }

  /**
   * Records the response (or ends the span with the failure) and, on the HTTP client's callback thread,
   * makes the caller's parent current for what the completion runs next: the SDK's parse and the app's
   * callbacks. The callback's woven exit ({@link HttpCallbacks}) puts the thread's context back.
   */
  static final class Completion implements BiConsumer<Object, Throwable> {
    private final StainlessCall state;

    Completion(StainlessCall state) {
      this.state = state;
    }

    @Override
    public void accept(Object response, Throwable error) {
      if (error != null) {
        state.failed(unwrap(error));
      } else if (response == null) {
        state.succeeded(null);
      } else {
        state.responded(response);
      }
      if (HttpCallbacks.inside()) {
        Tracer.attach(state.parent());
      }
    }
  }

  /**
   * The span the app's callbacks of an async call should see: the caller's, that is the parent of the
   * call's own span when this runs inside one, else whatever is current (untraced calls keep the app's
   * context too); null when nothing is.
   */
  static Span callersContext() {
    Span current = Tracer.current();
    return current != null && current.request() instanceof StainlessRequest ? current.parent() : current;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
