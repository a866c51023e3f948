package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import java.lang.reflect.Constructor;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The W3C trace context in an MCP request's {@code _meta} (the convention of the MCP community's
 * observability proposals): the client's tool span goes out as {@code traceparent}, the server continues
 * the trace it names. The client builds the JSON-RPC request only after initialization, on a transport
 * thread, from the very {@code CallToolRequest} object the application passed; so the span is found by
 * that object's identity from subscription until the span ends.
 */
final class TraceContext {
  static final String TRACEPARENT = "traceparent";
  private static final Map<Object, Span> IN_FLIGHT = Collections.synchronizedMap(new IdentityHashMap<Object, Span>());
  /** The canonical constructor of each request record: {@code (name, arguments, meta)}, or {@code (uri, meta)}. */
  private static final ClassValue<Constructor<?>> WITH_META = new ClassValue<Constructor<?>>() {
    @Override
    protected Constructor<?> computeValue(Class<?> type) {
      try {
        return isResourceRead(type) ? type.getConstructor(String.class, Map.class)
            : type.getConstructor(String.class, Map.class, Map.class);
      } catch (NoSuchMethodException e) {
        return null;
      }
    }
  };

  private TraceContext() {}

  static void register(Object request, Span span) {
    if (request != null) {
      IN_FLIGHT.put(request, span);
    }
  }

  static void unregister(Object request, Span span) {
    if (request != null) {
      synchronized (IN_FLIGHT) {
        if (IN_FLIGHT.get(request) == span) {
          IN_FLIGHT.remove(request);
        }
      }
    }
  }

  /**
   * The request the client session sends: the request of a traced call (a {@code CallToolRequest},
   * {@code ReadResourceRequest} or {@code GetPromptRequest}) gets a copy with its
   * span's {@code traceparent} added to {@code _meta} (the application's own entries kept, an application's
   * own {@code traceparent} left alone); every other request, and any request sent with no span of the
   * agent's behind it, is the very object it was.
   */
  static Object withTraceparent(Object params) {
    if (params == null) {
      return null;
    }
    Span span = IN_FLIGHT.get(params);
    if (span == null || span.isEnded()) {
      return params;
    }
    Constructor<?> constructor = WITH_META.get(params.getClass());
    if (constructor == null) {
      return params;
    }
    Object meta = Reflect.call(params, "meta");
    if (meta instanceof Map && ((Map<?, ?>) meta).containsKey(TRACEPARENT)) {
      return params;
    }
    Map<String, Object> withTrace = new LinkedHashMap<String, Object>();
    if (meta instanceof Map) {
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) meta).entrySet()) {
        withTrace.put(String.valueOf(entry.getKey()), entry.getValue());
      }
    }
    withTrace.put(TRACEPARENT, traceparent(span));
    try {
      return isResourceRead(params.getClass()) ? constructor.newInstance(Reflect.call(params, "uri"), withTrace)
          : constructor.newInstance(Reflect.call(params, "name"), Reflect.call(params, "arguments"), withTrace);
    } catch (Exception e) {
      return params;
    }
  }

  private static boolean isResourceRead(Class<?> type) {
    return type.getName().endsWith("$ReadResourceRequest");
  }

  /** {@code 00-<trace id>-<span id>-01}: the span as the parent of the work it asks for (sampled). */
  static String traceparent(Span span) {
    return "00-" + span.traceId() + "-" + span.spanId() + "-01";
  }

  /** The {@code traceparent} in a received request's {@code _meta} (an SDK request or the params as received), or null. */
  static String received(Object request) {
    Object meta = request instanceof Map ? ((Map<?, ?>) request).get("_meta") : Reflect.call(request, "meta");
    if (!(meta instanceof Map)) {
      return null;
    }
    Object value = ((Map<?, ?>) meta).get(TRACEPARENT);
    return value instanceof String ? (String) value : null;
  }
}
