package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.Span;
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
 * include or error dispatch on the same thread stays inside the outer request's span, and so does the
 * container's later dispatch of an async request; an async request's span ends when it completes.
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
      ServletCall open = ServletCall.dispatchedAgain(arguments[0]);
      if (open != null) {
        // The container's dispatch of an async request's result (or error page) runs inside that request.
        return new Previous(Tracer.attach(open.span));
      }
      ServletCall call = ServletCall.of(arguments[0], arguments[1]);
      if (call == null) {
        return null;
      }
      call.start();
      return call;
    }

    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      if (state instanceof Previous) {
        Tracer.restore(((Previous) state).span);
      } else if (state != null) {
        ServletCall call = (ServletCall) state;
        if (thrown == null && call.endsLater()) {
          Tracer.exit(call.span);
        } else {
          call.end(thrown);
        }
      }
      return returned;
    }
  }
}
