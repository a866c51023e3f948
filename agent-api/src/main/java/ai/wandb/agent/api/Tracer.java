package ai.wandb.agent.api;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The entry points advice calls. Context is a stack per thread: {@link #start} makes the new span
 * current and {@link #exit} restores the one before it; {@link #attach} carries a span to another
 * thread. Nothing here throws, allocates beyond the span, or does I/O.
 */
public final class Tracer {
  private static final ThreadLocal<Span> CURRENT = new ThreadLocal<Span>();
  private static final Set<TraceState> OPEN_TRACES =
      java.util.Collections.newSetFromMap(new ConcurrentHashMap<TraceState, Boolean>());
  private static volatile SpanListener listener = SpanListener.NONE;
  private static volatile RemoteParent remoteParent = RemoteParent.NONE;
  private static volatile Clock clock = Clock.SYSTEM;
  private static volatile boolean captureContent = true;
  private static volatile long epochBaseNanos;
  private static volatile long monotonicBaseNanos;

  static {
    anchor(Clock.SYSTEM);
  }

  private Tracer() {}

  /** Installs the exporter side; until then spans are built and dropped. */
  public static void setListener(SpanListener newListener) {
    listener = newListener == null ? SpanListener.NONE : newListener;
  }

  /** Where a new trace looks for a parent outside the agent (the app's OpenTelemetry span). */
  public static void setRemoteParent(RemoteParent lookup) {
    remoteParent = lookup == null ? RemoteParent.NONE : lookup;
  }

  /** {@code wandb.capture_content}: whether span inputs and outputs keep their text. */
  public static void setCaptureContent(boolean capture) {
    captureContent = capture;
  }

  static boolean captureContent() {
    return captureContent;
  }

  public static void setClock(Clock newClock) {
    anchor(newClock);
  }

  static Clock clock() {
    return clock;
  }

  private static void anchor(Clock newClock) {
    monotonicBaseNanos = newClock.nanoTime();
    epochBaseNanos = newClock.currentTimeMillis() * 1_000_000L;
    clock = newClock;
  }

  /** Starts a span under the current one (or a new trace) and makes it current on this thread. */
  public static Span start(String name, SpanKind kind, Object request, SpanRenderer renderer) {
    return start(name, kind, request, renderer, false, null);
  }

  /**
   * Starts a <em>latent</em> root (a web request): a trace that is exported only if a GenAI span (LLM,
   * TOOL, RETRIEVER, EMBEDDING, AGENT) starts inside it, and is dropped silently otherwise; until then
   * the listener hears nothing of it. {@code traceparent} is an inbound W3C header (or null): when valid
   * it gives the trace its id and the root its {@link Span#remoteParentId}. Under a current span this
   * is an ordinary child span.
   */
  public static Span startLatent(String name, SpanKind kind, Object request, SpanRenderer renderer,
      String traceparent) {
    return start(name, kind, request, renderer, true, traceparent);
  }

  /**
   * Starts a span for work a caller in another process asked for with its W3C {@code traceparent} (an MCP
   * request's {@code _meta}): when valid, the span is a root of the caller's trace, with the caller's span
   * as its {@link Span#remoteParentId}, whatever span is current here (the request belongs to the caller's
   * trace, not to the transport's web request around it); the span that was current is restored when this
   * one exits. Without a valid traceparent this is {@link #start}.
   */
  public static Span startContinuing(String name, SpanKind kind, Object request, SpanRenderer renderer,
      String traceparent) {
    long[] ids = Traceparent.parse(traceparent);
    if (ids == null) {
      return start(name, kind, request, renderer, false, null);
    }
    Span previous = CURRENT.get();
    CURRENT.remove();
    Span span = start(name, kind, request, renderer, false, null, new TraceState(ids[0], ids[1], ids[2], false));
    span.restoreTo = previous;
    return span;
  }

  private static Span start(String name, SpanKind kind, Object request, SpanRenderer renderer, boolean latent,
      String traceparent) {
    return start(name, kind, request, renderer, latent, traceparent, null);
  }

  /**
   * Starts a <em>tentative</em> span: one that exists only if {@link #confirm} is called before it ends
   * (a model call that turns out to loop). Until then nobody hears of it or of the spans started under
   * it; if it ends unconfirmed it dissolves: its children take its place under its parent (or, with
   * one child and no parent, that child is the trace's root), as if it had never been started. The
   * thread-local context behaves as for {@link #start}.
   */
  public static Span startTentative(String name, SpanKind kind, Object request, SpanRenderer renderer) {
    Span parent = CURRENT.get();
    TraceState trace = parent != null ? parent.trace : newTrace(ThreadLocalRandom.current(), false, null);
    synchronized (trace) {
      trace.tentativesOpen++;
    }
    return start(name, kind, request, renderer, false, null, trace, true);
  }

  /**
   * Makes a tentative span (and the open spans under it) known to the listener, as a span started with
   * {@link #start} would have been; nothing for any other span.
   */
  public static void confirm(Span span) {
    if (span == null || !settle(span, Span.CONFIRMED)) {
      return;
    }
    if (span.trace.exported() && !heldBack(span.parent())) {
      notifyOpen(span);
    }
  }

  /** Ends a tentative span's wait, once: true for the call that did. */
  private static boolean settle(Span span, int state) {
    TraceState trace = span.trace;
    synchronized (trace) {
      if (span.tentative != Span.TENTATIVE) {
        return false;
      }
      span.tentative = state;
      trace.tentativesOpen--;
      return true;
    }
  }

  /** Whether the span or one above it is tentative, so that the listener must not hear of it yet. */
  private static boolean heldBack(Span span) {
    if (span == null || span.trace.tentativesOpen == 0) {
      return false;
    }
    for (Span s = span; s != null; s = s.parent()) {
      if (s.tentative == Span.TENTATIVE) {
        return true;
      }
    }
    return false;
  }

  /** The listener hears of {@code span} and the open spans under it, parents first. */
  private static void notifyOpen(Span span) {
    if (!span.isEnded()) {
      safeNotifyStart(span);
    }
    for (Span child : span.children()) {
      notifyOpen(child);
    }
  }

  /**
   * A tentative span that ended unconfirmed: its children move up to its parent (a parentless one
   * with more than one child stays, as the root it has to be).
   */
  private static void dissolve(Span span) {
    List<Span> children = span.children();
    Span parent = span.parent();
    if (parent == null && children.size() != 1) {
      confirm(span);
      return;
    }
    if (!settle(span, 0)) {
      return;
    }
    if (parent != null) {
      parent.replaceChild(span, children);
    } else {
      children.get(0).becomeRoot();
      span.trace.root = children.get(0);
    }
    if (span.trace.exported() && !heldBack(parent)) {
      for (Span child : children) {
        notifyOpen(child);
      }
    }
  }

  private static Span start(String name, SpanKind kind, Object request, SpanRenderer renderer, boolean latent,
      String traceparent, TraceState remoteTrace) {
    return start(name, kind, request, renderer, latent, traceparent, remoteTrace, false);
  }

  private static Span start(String name, SpanKind kind, Object request, SpanRenderer renderer, boolean latent,
      String traceparent, TraceState remoteTrace, boolean tentative) {
    Span parent = CURRENT.get();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    TraceState trace = parent != null ? parent.trace
        : remoteTrace != null ? remoteTrace : newTrace(random, latent, traceparent);
    long now = clock.nanoTime();
    Span span = new Span(trace, parent, nonZero(random), name, kind,
        epochBaseNanos + (now - monotonicBaseNanos), now, request, renderer);
    trace.spanOpened();
    if (parent == null) {
      trace.root = span;
      // A latent trace joins the open set (what shutdown ends and exports) only once it is to be exported:
      // a request without GenAI work then costs no shared-map update.
      if (!trace.latent) {
        OPEN_TRACES.add(trace);
      }
    } else {
      parent.addChild(span);
    }
    span.restoreTo = parent;
    CURRENT.set(span);
    if (tentative) {
      span.tentative = Span.TENTATIVE;
    }
    boolean held = tentative || heldBack(parent);
    if (!trace.latent || trace.exported()) {
      if (!held) {
        safeNotifyStart(span);
      }
    } else if (isGenAi(kind) && trace.markExported()) {
      OPEN_TRACES.add(trace);
      // The first GenAI span: the request and the open steps around it start now, outermost first
      // (a tentative one and what is under it when confirmed).
      Deque<Span> open = new ArrayDeque<Span>();
      for (Span ancestor = parent; ancestor != null; ancestor = ancestor.parent()) {
        if (!ancestor.isEnded()) {
          open.push(ancestor);
        }
      }
      for (Span ancestor : open) {
        if (heldBack(ancestor)) {
          break;
        }
        safeNotifyStart(ancestor);
      }
      if (!held) {
        safeNotifyStart(span);
      }
    }
    return span;
  }

  /** Leaves the span's scope on this thread without ending it (a stream lives on after its call returns). */
  public static void exit(Span span) {
    if (span != null && CURRENT.get() == span) {
      CURRENT.set(span.restoreTo);
    }
  }

  /** Ends the span (once) and leaves its scope; a {@code null} error means success. */
  public static void end(Span span, Object response, Throwable error) {
    if (span == null) {
      return;
    }
    exit(span);
    finish(span, response, error, null);
  }

  /** Ends a span that could not end normally (abandoned stream, shutdown) as an error saying why. */
  public static void endUnfinished(Span span, String why) {
    if (span != null) {
      finish(span, null, null, why);
    }
  }

  public static Span current() {
    return CURRENT.get();
  }

  /** Makes {@code span} current on this thread (work handed to another thread); returns what to restore. */
  public static Span attach(Span span) {
    Span previous = CURRENT.get();
    CURRENT.set(span);
    return previous;
  }

  /** Restores what {@link #attach} returned. */
  public static void restore(Span previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  /** Ends every span still open, so that traces in flight are exported at shutdown. Returns how many. */
  public static int endAllOpen(String why) {
    int count = 0;
    for (TraceState trace : OPEN_TRACES.toArray(new TraceState[0])) {
      Deque<Span> pending = new ArrayDeque<Span>();
      pending.push(trace.root);
      Deque<Span> openDeepestFirst = new ArrayDeque<Span>();
      while (!pending.isEmpty()) {
        Span span = pending.pop();
        if (!span.isEnded()) {
          openDeepestFirst.push(span);
        }
        for (Span child : span.children()) {
          pending.push(child);
        }
      }
      for (Span span : openDeepestFirst) {
        if (finish(span, null, null, why)) {
          count++;
        }
      }
    }
    return count;
  }

  private static boolean finish(Span span, Object response, Throwable error, String errorOverride) {
    if (!span.finish(clock.nanoTime(), response, error, errorOverride)) {
      return false;
    }
    if (span.tentative == Span.TENTATIVE) {
      dissolve(span);
    }
    TraceState trace = span.trace;
    if (trace.spanClosed()) {
      OPEN_TRACES.remove(trace);
      if (trace.latent && !trace.exported()) {
        // A request that did no GenAI work (a health check, a static file) leaves no trace.
        return true;
      }
      try {
        listener.onTraceEnd(trace.root);
      } catch (Throwable ignored) {
        // The listener only enqueues; whatever went wrong there must not reach the application.
      }
    }
    return true;
  }

  /**
   * A new trace continues, in this order, a latent root's valid inbound traceparent, the app's current
   * OpenTelemetry span, else it gets random ids.
   */
  private static TraceState newTrace(ThreadLocalRandom random, boolean latent, String traceparent) {
    if (latent) {
      long[] ids = Traceparent.parse(traceparent);
      if (ids != null) {
        return new TraceState(ids[0], ids[1], ids[2], true);
      }
    }
    long[] remote = null;
    try {
      remote = remoteParent.current();
    } catch (Throwable ignored) {
      // A failing lookup costs the link to the app's trace, never the span.
    }
    if (remote != null && remote.length == 3 && (remote[0] != 0 || remote[1] != 0) && remote[2] != 0) {
      return new TraceState(remote[0], remote[1], remote[2], latent);
    }
    return new TraceState(nonZero(random), nonZero(random), 0, latent);
  }

  /** What makes a latent trace worth exporting: every kind but CHAIN (the app's and the request's own steps). */
  private static boolean isGenAi(SpanKind kind) {
    return kind != SpanKind.CHAIN;
  }

  private static void safeNotifyStart(Span span) {
    try {
      listener.onStart(span);
    } catch (Throwable ignored) {
      // As above: the application never sees the agent's failures.
    }
  }

  private static long nonZero(ThreadLocalRandom random) {
    long value;
    do {
      value = random.nextLong();
    } while (value == 0);
    return value;
  }
}
