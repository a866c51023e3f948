package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.IdentityWeakMap;
import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Tracer;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Spring WebFlux request ({@code HttpWebHandlerAdapter.handle}), read through Spring's public accessors
 * by reflection, so the module compiles against no Spring version (the tests run 6.2 and 7.0). Its span ends when the Mono that writes the response
 * terminates: completed, failed, or cancelled (the client went away).
 */
final class WebFluxCall extends ServerCall {
  /** WebFlux's exchange attributes with the matched route pattern (annotated and functional endpoints). */
  static final String ROUTE = "org.springframework.web.reactive.HandlerMapping.bestMatchingPattern";
  static final String FUNCTIONAL_ROUTE = "org.springframework.web.reactive.function.server.RouterFunctions.matchingPattern";
  /** What a WebExceptionHandler was given: the app's exception, which the response shows only as a status. */
  static final String HANDLED_EXCEPTION = "ExceptionHandlingWebHandler.handledException";

  /**
   * Each Reactor Netty request's call, by Reactor Netty's object for the request ({@code HttpServerOperations}):
   * the request body arrives on the event loop after {@code handle} returned, and the handler runs then.
   */
  static final IdentityWeakMap<WebFluxCall> BY_CONNECTION = new IdentityWeakMap<WebFluxCall>();

  private final Object response;
  volatile Object exchange;
  private volatile Throwable error;

  /** The response Mono's error and end, for {@code doOnError} and {@code doFinally}. */
  final Consumer<Object> onError = new Consumer<Object>() {
    @Override
    public void accept(Object thrown) {
      if (thrown instanceof Throwable) {
        error = (Throwable) thrown;
      }
    }
  };
  final Consumer<Object> onFinally = new Consumer<Object>() {
    @Override
    public void accept(Object signal) {
      end();
    }
  };

  private WebFluxCall(String method, String path, String traceparent, Object response) {
    super(method, path, traceparent);
    this.response = response;
  }

  /** Null when the request cannot be read. */
  static WebFluxCall of(Object request, Object response) {
    String method = Reflect.string(Reflect.call(request, "getMethod"), "name");
    Object uri = Reflect.call(request, "getURI");
    if (method == null || !(uri instanceof URI)) {
      return null;
    }
    String path = ((URI) uri).getRawPath();
    if (path == null) {
      return null;
    }
    WebFluxCall call = new WebFluxCall(method, path, header(Reflect.call(request, "getHeaders"), "traceparent"),
        response);
    Object connection = Reflect.call(request, "getNativeRequest");
    if (connection != null && connection.getClass().getName().equals("reactor.netty.http.server.HttpServerOperations")) {
      BY_CONNECTION.put(connection, call);
    }
    return call;
  }

  @Override
  void finish() {
    Object value = Reflect.call(Reflect.call(response, "getStatusCode"), "value");
    status = value instanceof Integer ? (Integer) value : 0;
    Object attributes = Reflect.call(exchange, "getAttributes");
    if (attributes instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) attributes;
      Object pattern = map.get(ROUTE);
      if (pattern == null) {
        pattern = map.get(FUNCTIONAL_ROUTE);
      }
      route = pattern == null ? null : pattern.toString();
      Object handled = map.get(HANDLED_EXCEPTION);
      // A 4xx is the client's error: the request's span fails only for what the server failed at.
      if (error == null && handled instanceof Throwable && (status == 0 || status >= 500)) {
        error = (Throwable) handled;
      }
    }
  }

  void end() {
    if (span.exported()) {
      finish();
    }
    Tracer.end(span, null, error);
  }

  private static final ClassValue<Method> GET_FIRST = new ClassValue<Method>() {
    @Override
    protected Method computeValue(Class<?> type) {
      try {
        return type.getMethod("getFirst", String.class);
      } catch (Exception e) {
        return null;
      }
    }
  };

  /** {@code HttpHeaders.getFirst(name)}: HttpHeaders is a public class in every version. */
  private static String header(Object headers, String name) {
    Method getFirst = headers == null ? null : GET_FIRST.get(headers.getClass());
    if (getFirst == null) {
      return null;
    }
    try {
      Object value = getFirst.invoke(headers, name);
      return value instanceof String ? (String) value : null;
    } catch (Exception e) {
      return null;
    }
  }
}
