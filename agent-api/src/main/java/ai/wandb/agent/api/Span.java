package ai.wandb.agent.api;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One step of a trace. The application thread only sets ids, timestamps and references (to the
 * immutable request and response objects); {@link SpanRenderer} turns those references into JSON on
 * the exporter thread.
 */
public final class Span {
  // The app thread allocates this record and nothing it does not need: no atomic box for the end flag,
  // no attribute map (the exporter thread fills it).
  private static final AtomicIntegerFieldUpdater<Span> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(Span.class, "ended");

  final TraceState trace;
  /** Fixed at start, except when a tentative parent dissolves before anyone heard of it (see Tracer.startTentative). */
  private volatile Span parent;
  private final long spanId;
  private final String name;
  private final SpanKind kind;
  private final long startEpochNanos;
  private final long startNanos;
  private final Object request;
  private final SpanRenderer renderer;
  private volatile int ended;
  private volatile long endNanos;
  private volatile Object response;
  private volatile Throwable error;
  private volatile String errorOverride;
  private volatile long firstTokenNanos;
  /** The span that was current on the starting thread before this one; only that thread reads it. */
  Span restoreTo;
  private List<Span> children;
  /** {@link Tracer#startTentative}: {@code TENTATIVE} until confirmed or dissolved. */
  volatile int tentative;
  static final int TENTATIVE = 1;
  static final int CONFIRMED = 2;

  // Filled on the exporter thread by the renderer.
  private Object inputs;
  private Object outputs;
  private Map<String, Object> attributes;
  private Usage usage;
  private boolean startRendered;
  private boolean endRendered;

  Span(TraceState trace, Span parent, long spanId, String name, SpanKind kind, long startEpochNanos,
      long startNanos, Object request, SpanRenderer renderer) {
    this.trace = trace;
    this.parent = parent;
    this.spanId = spanId;
    this.name = name;
    this.kind = kind;
    this.startEpochNanos = startEpochNanos;
    this.startNanos = startNanos;
    this.request = request;
    this.renderer = renderer;
  }

  public String traceId() {
    return Hex.of(trace.idHigh) + Hex.of(trace.idLow);
  }

  public String spanId() {
    return Hex.of(spanId);
  }

  /** The parent's id, or {@code null} for a root span. */
  public String parentId() {
    return parent == null ? null : parent.spanId();
  }

  /**
   * For a root span that continues a span outside the agent (the app's OpenTelemetry span, or an inbound
   * W3C {@code traceparent} of a web request): that span's id, which a sink that joins distributed traces
   * (OTLP) uses as the parent; {@code null} otherwise.
   */
  public String remoteParentId() {
    return parent == null && trace.remoteParentId != 0 ? Hex.of(trace.remoteParentId) : null;
  }

  public Span parent() {
    return parent;
  }

  /**
   * Whether the listener hears of this span's trace: always, except for a latent trace (a web request)
   * in which no GenAI span has started yet, which is dropped when it ends.
   */
  public boolean exported() {
    return trace.exported();
  }

  public String name() {
    return name;
  }

  public SpanKind kind() {
    return kind;
  }

  public Object request() {
    return request;
  }

  public Object response() {
    return response;
  }

  /** For spans whose result is built up while they run (streams): the object that accumulates it. */
  public void setResponse(Object response) {
    this.response = response;
  }

  public long startEpochNanos() {
    return startEpochNanos;
  }

  /** Wall-clock end: start plus the monotonic duration; 0 while the span is open. */
  public long endEpochNanos() {
    return ended != 0 ? startEpochNanos + durationNanos() : 0;
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  public boolean isEnded() {
    return ended != 0;
  }

  /** Marks the first streamed token; only the first call counts. */
  public void markFirstToken() {
    if (firstTokenNanos == 0) {
      firstTokenNanos = Tracer.clock().nanoTime();
    }
  }

  /** Milliseconds from start to the first streamed token, or -1 when there was none. */
  public double timeToFirstTokenMillis() {
    return firstTokenNanos == 0 ? -1 : (firstTokenNanos - startNanos) / 1e6;
  }

  public SpanStatus status() {
    return error != null || errorOverride != null ? SpanStatus.ERROR : SpanStatus.OK;
  }

  public Throwable error() {
    return error;
  }

  /** {@code {type, message, stack}} for an error span, {@code null} otherwise. */
  public Map<String, Object> errorJson() {
    if (status() == SpanStatus.OK) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    if (error != null) {
      out.put("type", error.getClass().getName());
      out.put("message", CapturedValues.text(errorOverride != null ? errorOverride : message(error)));
      out.put("stack", CapturedValues.text(stack(error)));
    } else {
      out.put("type", "wandb.agent.SpanNotEnded");
      out.put("message", errorOverride);
      out.put("stack", null);
    }
    return out;
  }

  /** The application's exception is the application's code: reading it may throw, which costs only the text. */
  private static String message(Throwable error) {
    try {
      return String.valueOf(error.getMessage());
    } catch (Throwable t) {
      return "<the exception's getMessage() threw " + t.getClass().getName() + ">";
    }
  }

  private static String stack(Throwable error) {
    StringWriter stack = new StringWriter();
    try {
      error.printStackTrace(new PrintWriter(stack));
    } catch (Throwable t) {
      stack.append("<the exception's printStackTrace() threw ").append(t.getClass().getName()).append('>');
    }
    return stack.toString();
  }

  public List<Span> children() {
    synchronized (this) {
      return children == null ? Collections.<Span>emptyList() : new ArrayList<Span>(children);
    }
  }

  /** A dissolving tentative child's place goes to its own children, who get this span as their parent. */
  void replaceChild(Span dissolved, List<Span> itsChildren) {
    synchronized (this) {
      int at = children == null ? -1 : children.indexOf(dissolved);
      if (at >= 0) {
        children.remove(at);
        children.addAll(at, itsChildren);
      }
    }
    for (Span child : itsChildren) {
      child.parent = this;
    }
  }

  void becomeRoot() {
    parent = null;
  }

  void addChild(Span child) {
    synchronized (this) {
      if (children == null) {
        children = new ArrayList<Span>(4);
      }
      children.add(child);
    }
  }

  /** Ends the span once; later calls are ignored. Returns whether this call ended it. */
  boolean finish(long nanos, Object response, Throwable error, String errorOverride) {
    if (!ENDED.compareAndSet(this, 0, 1)) {
      return false;
    }
    if (response != null) {
      this.response = response;
    }
    this.error = error;
    this.errorOverride = errorOverride;
    this.endNanos = nanos;
    return true;
  }

  // ---- exporter-thread side ----

  /** Renders inputs once; later calls do nothing. Exporter thread only. */
  public void renderStart() {
    if (startRendered) {
      return;
    }
    startRendered = true;
    if (remoteParentId() != null) {
      // Formats with no parent outside the trace (JSONL, Weave, the run) still name the app's span.
      attributes().put("otel.trace_id", traceId());
      attributes().put("otel.parent_span_id", remoteParentId());
    }
    if (renderer != null) {
      try {
        renderer.renderStart(this);
      } catch (Throwable t) {
        renderFailed(t);
      }
    }
  }

  /** Renders outputs once, after inputs; later calls do nothing. Exporter thread only. */
  public void renderEnd() {
    renderStart();
    if (endRendered) {
      return;
    }
    endRendered = true;
    if (timeToFirstTokenMillis() >= 0) {
      attributes().put("wandb.time_to_first_token_ms", timeToFirstTokenMillis());
    }
    if (renderer != null) {
      try {
        renderer.renderEnd(this);
      } catch (Throwable t) {
        renderFailed(t);
      }
    }
  }

  /** A renderer bug costs this span its content, never the trace; it is said only in debug. */
  private void renderFailed(Throwable t) {
    attributes().put("wandb.render_error", CapturedValues.text(t.toString()));
    AgentLog.debug("could not render span " + name + ": " + t);
  }

  public Object inputs() {
    return inputs;
  }

  /** Keeps the inputs after {@link CapturedValues} (secrets, size, depth) and the content filter. */
  public void setInputs(Object inputs) {
    Object captured = CapturedValues.tree(inputs);
    this.inputs = Tracer.captureContent() ? captured : ContentFilter.redact(captured);
  }

  public Object outputs() {
    return outputs;
  }

  public void setOutputs(Object outputs) {
    Object captured = CapturedValues.tree(outputs);
    this.outputs = Tracer.captureContent() ? captured : ContentFilter.redact(captured);
  }

  /** Exporter thread only, like the renderer that fills it (hence created there, on first use). */
  public Map<String, Object> attributes() {
    if (attributes == null) {
      attributes = new LinkedHashMap<String, Object>();
    }
    return attributes;
  }

  /** Sets an attribute unless the value is {@code null}, so absent parameters stay absent. */
  public void setAttribute(String key, Object value) {
    if (value != null) {
      attributes().put(key, CapturedValues.tree(value));
    }
  }

  public Usage usage() {
    return usage;
  }

  public void setUsage(Usage usage) {
    this.usage = usage;
  }

  @Override
  public String toString() {
    return "Span{" + name + ", " + kind + ", " + spanId() + "}";
  }
}
