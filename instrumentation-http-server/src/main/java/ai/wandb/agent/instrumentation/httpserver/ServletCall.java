package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.Listeners;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A servlet request, read through the Servlet API by reflection (one build serves {@code javax} and
 * {@code jakarta}). The request and response are read only until the request completes (containers
 * recycle them then): when {@code service} returns, or for an async request when the container reports
 * it complete.
 */
final class ServletCall extends ServerCall {
  /** Spring MVC's request attribute with the matched route pattern, e.g. {@code /users/{id}}. */
  static final String SPRING_ROUTE = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";
  /**
   * The request attribute that finds an async request's call again in the container's later dispatches
   * of it (Spring MVC's result, an error page): they belong to the request already open.
   */
  static final String ASYNC_CALL = "ai.wandb.agent.httpserver.ServletCall";

  /**
   * Async requests whose span is open: while there are none (most apps never go async), a request's
   * {@code service} call does not look for an open one.
   */
  private static final AtomicInteger OPEN_ASYNC = new AtomicInteger();

  private final Object request;
  private final Object response;
  private final Accessors accessors;
  private volatile boolean async;
  private volatile Throwable asyncError;
  private volatile boolean timedOut;

  private ServletCall(String method, String path, String traceparent, Object request, Object response,
      Accessors accessors) {
    super(method, path, traceparent);
    this.request = request;
    this.response = response;
    this.accessors = accessors;
  }

  /** Null when the request is not an HTTP one (a plain ServletRequest) or cannot be read. */
  static ServletCall of(Object request, Object response) {
    Accessors accessors = ACCESSORS.get(request.getClass());
    if (accessors.method == null || accessors.uri == null) {
      return null;
    }
    String method = (String) accessors.call(accessors.method, request);
    String path = (String) accessors.call(accessors.uri, request);
    if (method == null || path == null) {
      return null;
    }
    String traceparent = accessors.header == null ? null
        : (String) accessors.call(accessors.header, request, "traceparent");
    return new ServletCall(method, path, traceparent, request, response, accessors);
  }

  /** The open async request a later dispatch (async, error) of {@code request} belongs to, or null. */
  static ServletCall dispatchedAgain(Object request) {
    if (OPEN_ASYNC.get() == 0) {
      return null;
    }
    Accessors accessors = ACCESSORS.get(request.getClass());
    if (accessors.attribute == null) {
      return null;
    }
    Object call = accessors.call(accessors.attribute, request, ASYNC_CALL);
    return call instanceof ServletCall && !((ServletCall) call).span.isEnded() ? (ServletCall) call : null;
  }

  @Override
  void finish() {
    Accessors responseAccessors = ACCESSORS.get(response.getClass());
    if (responseAccessors.status != null) {
      Object value = responseAccessors.call(responseAccessors.status, response);
      status = value instanceof Integer ? (Integer) value : 0;
    }
    if (accessors.attribute != null) {
      Object value = accessors.call(accessors.attribute, request, SPRING_ROUTE);
      route = value instanceof String ? (String) value : null;
    }
  }

  /** Ends the span: status and route read first for a request that did GenAI work. */
  void end(Throwable thrown) {
    if (async && !span.isEnded()) {
      OPEN_ASYNC.decrementAndGet();
    }
    if (span.exported()) {
      finish();
    }
    if (timedOut && thrown == null) {
      Tracer.endUnfinished(span, "the async request timed out");
    } else {
      Tracer.end(span, null, thrown);
    }
  }

  /**
   * At the end of {@code service}: when the request went async ({@code startAsync}, which Spring MVC's
   * {@code Callable}, {@code DeferredResult}, {@code SseEmitter} and {@code StreamingResponseBody} use),
   * a listener ends the span when the container completes the request; returns whether it does.
   */
  boolean endsLater() {
    if (accessors.asyncStarted == null || !Boolean.TRUE.equals(accessors.call(accessors.asyncStarted, request))) {
      return false;
    }
    Object context = accessors.call(accessors.asyncContext, request);
    if (context == null) {
      return false;
    }
    Method addListener = ADD_LISTENER.get(context.getClass());
    if (addListener == null) {
      return false;
    }
    Class<?> listenerType = addListener.getParameterTypes()[0];
    // Counted before the listener can end the span; the attribute is there before a later dispatch can look.
    async = true;
    OPEN_ASYNC.incrementAndGet();
    accessors.call(accessors.setAttribute, request, ASYNC_CALL, this);
    try {
      // A class of the container's own listener interface, in its loader, but not a java.lang.reflect.Proxy:
      // one would move the number of every proxy class the app makes after it ($Proxy15 -> $Proxy16).
      Object listener = Listeners.of(listenerType, new AsyncEnd(this, addListener));
      addListener.invoke(context, listener);
    } catch (Exception | LinkageError e) {
      async = false;
      OPEN_ASYNC.decrementAndGet();
      return false;
    }
    return true;
  }

  /** The container's reports on an async request: complete ends the span; error and timeout say how. */
  private static final class AsyncEnd implements InvocationHandler {
    private final ServletCall call;
    private final Method addListener;

    AsyncEnd(ServletCall call, Method addListener) {
      this.call = call;
      this.addListener = addListener;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) {
      String name = method.getName();
      try {
        if (name.equals("onComplete")) {
          call.end(call.asyncError);
        } else if (name.equals("onError")) {
          Method getThrowable = EVENT_THROWABLE.get(arguments[0].getClass());
          Object thrown = getThrowable == null ? null : getThrowable.invoke(arguments[0]);
          if (thrown instanceof Throwable) {
            call.asyncError = (Throwable) thrown;
          }
        } else if (name.equals("onTimeout")) {
          call.timedOut = true;
        } else if (name.equals("onStartAsync")) {
          // A new async cycle drops the listeners of the last one unless they add themselves again.
          Method getContext = EVENT_CONTEXT.get(arguments[0].getClass());
          Object context = getContext == null ? null : getContext.invoke(arguments[0]);
          if (context != null) {
            addListener.invoke(context, proxy);
          }
        } else if (name.equals("equals")) {
          // Only a proxy asks (Java 8, or a listener interface in a package closed to the agent).
          return proxy == arguments[0];
        } else if (name.equals("hashCode")) {
          return System.identityHashCode(proxy);
        } else if (name.equals("toString")) {
          return "wandb-agent request listener";
        }
      } catch (Throwable ignored) {
        // The container's listener calls go on; the span at worst ends at shutdown.
      }
      return null;
    }
  }

  private static final ClassValue<Accessors> ACCESSORS = new ClassValue<Accessors>() {
    @Override
    protected Accessors computeValue(Class<?> type) {
      return new Accessors(type);
    }
  };

  private static final ClassValue<Method> ADD_LISTENER = new ClassValue<Method>() {
    @Override
    protected Method computeValue(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        for (Class<?> i : c.getInterfaces()) {
          if (i.getName().equals("javax.servlet.AsyncContext") || i.getName().equals("jakarta.servlet.AsyncContext")) {
            for (Method m : i.getMethods()) {
              if (m.getName().equals("addListener") && m.getParameterTypes().length == 1) {
                return m;
              }
            }
          }
        }
      }
      return null;
    }
  };

  private static final ClassValue<Method> EVENT_THROWABLE = new ClassValue<Method>() {
    @Override
    protected Method computeValue(Class<?> type) {
      return Accessors.publicMethod(type, "getThrowable");
    }
  };

  private static final ClassValue<Method> EVENT_CONTEXT = new ClassValue<Method>() {
    @Override
    protected Method computeValue(Class<?> type) {
      return Accessors.publicMethod(type, "getAsyncContext");
    }
  };

  /**
   * The Servlet API methods of one request or response class, taken from the Servlet API interface that
   * declares them (container classes are often not public, so their own Method objects cannot be called).
   */
  static final class Accessors {
    private static final Object[] NO_ARGUMENTS = new Object[0];
    final Method method;
    final Method uri;
    final Method header;
    final Method attribute;
    final Method setAttribute;
    final Method asyncStarted;
    final Method asyncContext;
    final Method status;

    Accessors(Class<?> type) {
      method = find(type, "getMethod");
      uri = find(type, "getRequestURI");
      header = find(type, "getHeader", String.class);
      attribute = find(type, "getAttribute", String.class);
      setAttribute = find(type, "setAttribute", String.class, Object.class);
      asyncStarted = find(type, "isAsyncStarted");
      asyncContext = find(type, "getAsyncContext");
      status = find(type, "getStatus");
    }

    Object call(Method m, Object target) {
      return invoke(m, target, NO_ARGUMENTS);
    }

    /** A one-argument read; two overloads rather than varargs so that no-argument reads allocate nothing. */
    Object call(Method m, Object target, String argument) {
      return invoke(m, target, new Object[] {argument});
    }

    Object call(Method m, Object target, String argument, Object value) {
      return invoke(m, target, new Object[] {argument, value});
    }

    private static Object invoke(Method m, Object target, Object[] arguments) {
      try {
        return m.invoke(target, arguments);
      } catch (Exception e) {
        return null;
      }
    }

    /** A public class's public method (the Servlet API's event classes). */
    static Method publicMethod(Class<?> type, String name) {
      try {
        Method m = type.getMethod(name);
        return Modifier.isPublic(m.getDeclaringClass().getModifiers()) ? m : null;
      } catch (NoSuchMethodException | SecurityException e) {
        return null;
      }
    }

    private static Method find(Class<?> type, String name, Class<?>... parameters) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        for (Class<?> i : c.getInterfaces()) {
          Method m = fromInterface(i, name, parameters);
          if (m != null) {
            return m;
          }
        }
      }
      return null;
    }

    private static Method fromInterface(Class<?> type, String name, Class<?>... parameters) {
      String typeName = type.getName();
      if (typeName.startsWith("javax.servlet.") || typeName.startsWith("jakarta.servlet.")) {
        Method m = declared(type, name, parameters);
        if (m != null) {
          return m;
        }
      }
      for (Class<?> parent : type.getInterfaces()) {
        Method m = fromInterface(parent, name, parameters);
        if (m != null) {
          return m;
        }
      }
      return null;
    }

    private static Method declared(Class<?> type, String name, Class<?>... parameters) {
      try {
        Method m = type.getDeclaredMethod(name, parameters);
        return Modifier.isPublic(m.getModifiers()) ? m : null;
      } catch (NoSuchMethodException | SecurityException e) {
        return null;
      }
    }
  }
}
