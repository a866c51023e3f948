package ai.wandb.agent.api.stainless;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;

/**
 * The SDK's OkHttp callback ({@code onResponse}/{@code onFailure}) completes the call's future, and with
 * it, on the same thread and stack, runs the SDK's parsing and every callback the app chained. Woven
 * around it, this lets {@link StainlessCalls.Completion} make the caller's context current for that work
 * and restores the thread's own context when the callback returns.
 */
final class HttpCallbacks {
  private static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<Boolean>();

  private HttpCallbacks() {}

  static Object enter() {
    Scope scope = new Scope(Tracer.current(), INSIDE.get());
    INSIDE.set(Boolean.TRUE);
    return scope;
  }

  static void exit(Object scope) {
    Scope entered = (Scope) scope;
    Tracer.restore(entered.current);
    if (entered.inside == null) {
      INSIDE.remove();
    }
  }

  static boolean inside() {
    return INSIDE.get() != null;
  }

  private static final class Scope {
    final Span current;
    final Boolean inside;

    Scope(Span current, Boolean inside) {
      this.current = current;
      this.inside = inside;
    }
  }
}
