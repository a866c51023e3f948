package ai.wandb.agent.instrumentation.httpserver;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** Container-made request and response objects, as dynamic proxies of the Servlet API. */
final class Requests {
  private Requests() {}

  static HttpServletRequest request(String method, String uri, String traceparent) {
    Map<String, Object> attributes = new HashMap<>();
    attributes.put(ServletCall.SPRING_ROUTE, uri.equals("/ask") ? "/ask" : null);
    return (HttpServletRequest) Proxy.newProxyInstance(Requests.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
          case "getMethod" -> method;
          case "getRequestURI" -> uri;
          case "getHeader" -> "traceparent".equalsIgnoreCase((String) args[0]) ? traceparent : null;
          case "getAttribute" -> attributes.get(args[0]);
          case "getProtocol" -> "HTTP/1.1";
          case "getDateHeader" -> -1L;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> null;
        });
  }

  static HttpServletResponse response() {
    int[] status = {200};
    return (HttpServletResponse) Proxy.newProxyInstance(Requests.class.getClassLoader(),
        new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
          case "setStatus" -> {
            status[0] = (Integer) args[0];
            yield null;
          }
          case "getStatus" -> status[0];
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> null;
        });
  }
}
