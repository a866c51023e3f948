package ai.wandb.agent.instrumentation.executors;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.BridgeHook;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The span each task was handed off under, from the hand-off until a worker starts running it. Keyed
 * by the task object itself, weakly and by identity: the task is never wrapped (its frames and
 * exceptions stay the application's), never kept alive, and a task that never runs leaves nothing
 * behind once it is collected. The first hand-off wins (a {@code CompletableFuture} stage is captured
 * where it was created, not on the thread that completes its source); running consumes the entry, so
 * a task object handed off again (a lambda without captures is one shared instance) is captured anew.
 */
final class HandOffs {
  /** Returned by {@link #ATTACH} when the worker had no span of its own to restore. */
  private static final Object NO_SPAN = new Object();
  private static final ConcurrentHashMap<Object, Span> SPANS = new ConcurrentHashMap<Object, Span>();
  private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<Object>();

  private HandOffs() {}

  /** At a hand-off: remembers the current span for {@code task}; with no current span, one ThreadLocal read. */
  static final BridgeHook CAPTURE = new BridgeHook() {
    @Override
    public Object apply(Object task) {
      Span current = Tracer.current();
      if (current != null && task != null) {
        capture(task, current);
      }
      return null;
    }
  };

  /**
   * Before a worker runs {@code task}: makes its span current; returns what {@link #RESTORE} needs, or
   * null when the task brought no span (the worker's context is left alone).
   */
  static final BridgeHook ATTACH = new BridgeHook() {
    @Override
    public Object apply(Object task) {
      if (SPANS.isEmpty()) {
        return null;
      }
      // Also here, not only at capture: entries of tasks that never ran must not keep their spans (and
      // what the spans hold) alive once the app stops handing off work under a span.
      expungeCollected();
      Span span = SPANS.remove(new Key(task, null));
      if (span == null) {
        return null;
      }
      Span previous = Tracer.attach(span);
      return previous == null ? NO_SPAN : previous;
    }
  };

  /** After the task returned or threw: what was current on the worker before. */
  static final BridgeHook RESTORE = new BridgeHook() {
    @Override
    public Object apply(Object token) {
      Tracer.restore(token == NO_SPAN ? null : (Span) token);
      return null;
    }
  };

  static void capture(Object task, Span span) {
    expungeCollected();
    SPANS.putIfAbsent(new Key(task, COLLECTED), span);
  }

  private static void expungeCollected() {
    for (Reference<?> gone; (gone = COLLECTED.poll()) != null; ) {
      SPANS.remove(gone);
    }
  }

  /** How many tasks wait with a span (for tests). */
  static int pending() {
    return SPANS.size();
  }

  /** A weak reference equal to another for the same referent; once cleared, only to itself. */
  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object task, ReferenceQueue<Object> queue) {
      super(task, queue);
      this.hash = System.identityHashCode(task);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (other == this) {
        return true;
      }
      if (!(other instanceof Key)) {
        return false;
      }
      Object referent = get();
      return referent != null && referent == ((Key) other).get();
    }
  }
}
