package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.Span;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * What a request's span keeps, read on the app thread while the request is live: containers recycle
 * request and response objects once the request is done, so no reference to them outlives the call.
 */
final class ServerCall {
  /** Spring MVC's request attribute with the matched route pattern, e.g. {@code /users/{id}}. */
  static final String SPRING_ROUTE = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  final String method;
  final String path;
  final String traceparent;
  private final Object request;
  private final Object response;
  private final Accessors accessors;
  Span span;
  volatile int status;
  volatile String route;

  private ServerCall(String method, String path, String traceparent, Object request, Object response,
      Accessors accessors) {
    this.method = method;
    this.path = path;
    this.traceparent = traceparent;
    this.request = request;
    this.response = response;
    this.accessors = accessors;
  }

  /** Null when the request is not an HTTP one (a plain ServletRequest) or cannot be read. */
  static ServerCall of(Object request, Object response) {
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
    return new ServerCall(method, path, traceparent, request, response, accessors);
  }

  /** At the end of service: the status the app set and, under Spring MVC, the route it matched. */
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

  private static final ClassValue<Accessors> ACCESSORS = new ClassValue<Accessors>() {
    @Override
    protected Accessors computeValue(Class<?> type) {
      return new Accessors(type);
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
    final Method status;

    Accessors(Class<?> type) {
      method = find(type, "getMethod");
      uri = find(type, "getRequestURI");
      header = find(type, "getHeader", String.class);
      attribute = find(type, "getAttribute", String.class);
      status = find(type, "getStatus");
    }

    Object call(Method m, Object target) {
      return invoke(m, target, NO_ARGUMENTS);
    }

    /** A one-argument read; two overloads rather than varargs so that no-argument reads allocate nothing. */
    Object call(Method m, Object target, String argument) {
      return invoke(m, target, new Object[] {argument});
    }

    private static Object invoke(Method m, Object target, Object[] arguments) {
      try {
        return m.invoke(target, arguments);
      } catch (Exception e) {
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
