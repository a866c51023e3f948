package ai.wandb.agent.otel;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.RemoteParent;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The application's current OpenTelemetry span, read by reflection so that no OpenTelemetry class of
 * the agent's own exists and nothing is loaded into the app: first through the OpenTelemetry API the
 * app sees (the context class loader of the thread that starts the trace, which is the app's or its
 * web app's), then through the OpenTelemetry Java agent's copy of the API on the bootstrap class path
 * (where its HTTP server spans live when the app has no API of its own). Asked only when a trace starts;
 * the methods are looked up once per class loader.
 */
public final class OtelCurrentSpan implements RemoteParent {
  static final String API_SPAN = "io.opentelemetry.api.trace.Span";
  static final String JAVAAGENT_SPAN = "io.opentelemetry.javaagent.shaded.io.opentelemetry.api.trace.Span";

  /** Per loader: the API's methods, or {@link #ABSENT}. Weak keys; the value holds the loader only weakly. */
  private final Map<ClassLoader, Object> byLoader = new WeakHashMap<ClassLoader, Object>();
  private static final Object ABSENT = new Object();
  /** Looked up at the first trace, not in premain: the OpenTelemetry agent may be attached after this one. */
  private volatile Object javaagent;

  /**
   * With the OpenTelemetry agent attached its context is the one truth (the app's API is bridged to it),
   * so it is asked first; else the app's own API.
   */
  @Override
  public long[] current() {
    Object bootstrap = javaagent;
    if (bootstrap == null) {
      Accessor found = Accessor.find(JAVAAGENT_SPAN, null);
      javaagent = bootstrap = found == null ? ABSENT : found;
    }
    if (bootstrap != ABSENT) {
      long[] ids = ((Accessor) bootstrap).current();
      if (ids != null) {
        return ids;
      }
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = ClassLoader.getSystemClassLoader();
    }
    Accessor app = accessor(loader);
    return app == null ? null : app.current();
  }

  /**
   * The last lookup: {loader (weakly), what {@link #byLoader} holds for it}. A server's request threads
   * all have one context loader, and every request's latent root asks here: the shared lock and the
   * weak map's lookup were a tenth of the servlet hook's samples (JFR, {@code NonGenAiRequests}).
   */
  private volatile Object[] last;

  private Accessor accessor(ClassLoader loader) {
    Object[] seen = last;
    if (seen != null && ((WeakReference<?>) seen[0]).get() == loader) {
      if (seen[1] == ABSENT) {
        return null;
      }
      Accessor accessor = (Accessor) ((WeakReference<?>) seen[1]).get();
      if (accessor != null) {
        return accessor;
      }
    }
    return lookUp(loader);
  }

  private Accessor lookUp(ClassLoader loader) {
    synchronized (byLoader) {
      Object known = byLoader.get(loader);
      if (known == null) {
        Accessor found = Accessor.find(API_SPAN, loader);
        // The accessor's methods hold the API's class, hence its loader: held strongly here, the map's
        // weak key would never clear. The class's ClassValue keeps the accessor as long as the class lives.
        known = found == null ? ABSENT : new WeakReference<Accessor>(found);
        byLoader.put(loader, known);
      }
      if (known == ABSENT) {
        last = new Object[] {new WeakReference<ClassLoader>(loader), ABSENT};
        return null;
      }
      @SuppressWarnings("unchecked") // only WeakReference<Accessor> and ABSENT are stored
      Accessor accessor = ((WeakReference<Accessor>) known).get();
      if (accessor == null) {
        byLoader.remove(loader);
        return lookUp(loader);
      }
      last = new Object[] {new WeakReference<ClassLoader>(loader), known};
      return accessor;
    }
  }

  /** {@code Span.current().getSpanContext()} and its ids, on one copy of the API. */
  static final class Accessor {
    /** Keeps each accessor alive exactly as long as the API class it reads. */
    static final ClassValue<Accessor> KEEP = new ClassValue<Accessor>() {
      @Override
      protected Accessor computeValue(Class<?> type) {
        return build(type);
      }
    };

    final Class<?> spanType;
    private final Method current;
    private final Method getSpanContext;
    private final Method isValid;
    private final Method getTraceId;
    private final Method getSpanId;

    private Accessor(Class<?> spanType, Method current, Method getSpanContext, Method isValid, Method getTraceId,
        Method getSpanId) {
      this.spanType = spanType;
      this.current = current;
      this.getSpanContext = getSpanContext;
      this.isValid = isValid;
      this.getTraceId = getTraceId;
      this.getSpanId = getSpanId;
    }

    /** The accessor of the API class {@code name} as {@code loader} sees it (null: bootstrap), or null. */
    static Accessor find(String name, ClassLoader loader) {
      Class<?> type;
      try {
        type = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError absent) {
        return null;
      }
      return KEEP.get(type);
    }

    private static Accessor build(Class<?> spanType) {
      try {
        Method current = spanType.getMethod("current");
        Method getSpanContext = spanType.getMethod("getSpanContext");
        Class<?> contextType = getSpanContext.getReturnType();
        return new Accessor(spanType, current, getSpanContext, contextType.getMethod("isValid"),
            contextType.getMethod("getTraceId"), contextType.getMethod("getSpanId"));
      } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
        AgentLog.debug("cannot read OpenTelemetry spans through " + spanType.getName() + ": " + e);
        return null;
      }
    }

    /** The current span's {@code {traceIdHigh, traceIdLow, spanId}}, or null when none is valid. */
    long[] current() {
      try {
        Object span = current.invoke(null);
        Object context = span == null ? null : getSpanContext.invoke(span);
        if (context == null || !Boolean.TRUE.equals(isValid.invoke(context))) {
          return null;
        }
        Object parent = OwnGenAiSpans.parentIfOwnGenAiSpan(span);
        if (parent != null && Boolean.TRUE.equals(isValid.invoke(parent))) {
          context = parent;
        }
        String traceId = (String) getTraceId.invoke(context);
        String spanId = (String) getSpanId.invoke(context);
        if (traceId == null || traceId.length() != 32 || spanId == null || spanId.length() != 16) {
          return null;
        }
        return new long[] {
          Long.parseUnsignedLong(traceId.substring(0, 16), 16),
          Long.parseUnsignedLong(traceId.substring(16), 16),
          Long.parseUnsignedLong(spanId, 16)
        };
      } catch (Exception | LinkageError e) {
        AgentLog.debug("reading the current OpenTelemetry span: " + e);
        return null;
      }
    }
  }
}
