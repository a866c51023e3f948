package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.Collections;
import java.util.List;

/**
 * {@code HttpServlet.service(ServletRequest, ServletResponse)}, the entry every container (Tomcat, Jetty,
 * Undertow) calls for a servlet, Spring MVC's {@code DispatcherServlet} included: its subclasses override
 * the protected {@code service(HttpServletRequest, HttpServletResponse)} it calls, not this one. A forward,
 * include or error dispatch on the same thread stays inside the outer request's span.
 */
final class HttpServletInstrumentation implements TypeInstrumentation {
  private final String servletPackage;

  /** {@code servletPackage}: {@code javax.servlet} or {@code jakarta.servlet}. */
  HttpServletInstrumentation(String servletPackage) {
    this.servletPackage = servletPackage;
  }

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named(servletPackage + ".http.HttpServlet");
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.singletonList(new MethodAdvice(MethodMatcher.named("service").takesArguments(2)
        .takesArgument(0, servletPackage + ".ServletRequest"), new ServiceHook()));
  }

  static final class ServiceHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      Span current = Tracer.current();
      if (current != null && current.request() instanceof ServerCall) {
        return null;
      }
      ServerCall call = ServerCall.of(arguments[0], arguments[1]);
      if (call == null) {
        return null;
      }
      call.span = Tracer.startLatent(call.method + " " + call.path, SpanKind.CHAIN, call, ServerCallRenderer.INSTANCE,
          call.traceparent);
      return call;
    }

    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      if (state != null) {
        ServerCall call = (ServerCall) state;
        // Status and route are read only for a request that did GenAI work: the others are dropped
        // unread, and this is the last moment the container's request and response are ours to read.
        if (call.span.exported()) {
          call.finish();
        }
        Tracer.end(call.span, null, thrown);
      }
      return returned;
    }
  }
}
