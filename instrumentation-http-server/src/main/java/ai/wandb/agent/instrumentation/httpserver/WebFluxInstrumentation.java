package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.ScopedDefer;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Spring WebFlux: {@code HttpWebHandlerAdapter.handle(ServerHttpRequest, ServerHttpResponse)}, where every
 * server (Reactor Netty, and Tomcat, Jetty and Undertow through Spring's adapters) hands a request to
 * WebFlux, returning the Mono that writes the response. The request's span ends when that Mono does, and
 * is current where the request's work runs: while the Mono is subscribed (the filters and, for a request
 * without a body, the handler), in Reactor Netty's delivery of the request body (the handler of a request
 * with a body runs there), and from there on the threads the executors instrumentation follows work to
 * (Reactor's schedulers). The Mono is wrapped with Reactor's own operators ({@code doOnError},
 * {@code doFinally}, {@code Mono.defer}) called by reflection with JDK functional types: no class is
 * defined in the app's loader and the response is what it was.
 */
final class WebFluxInstrumentation {
  private static final String ADAPTER = "org.springframework.web.server.adapter.HttpWebHandlerAdapter";
  private static final String REQUEST = "org.springframework.http.server.reactive.ServerHttpRequest";

  private WebFluxInstrumentation() {}

  static List<TypeInstrumentation> all() {
    return Arrays.<TypeInstrumentation>asList(new Adapter(), ScopedDefer.subscribe("reactor.core.publisher.MonoDefer"), new NettyInbound());
  }

  static final class Adapter implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named(ADAPTER);
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Arrays.asList(
          new MethodAdvice(MethodMatcher.named("handle").takesArguments(2).takesArgument(0, REQUEST), new HandleHook()),
          new MethodAdvice(MethodMatcher.named("createExchange").takesArguments(2).takesArgument(0, REQUEST),
              new ExchangeHook()));
    }
  }

  static final class HandleHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      Span current = Tracer.current();
      if (current != null && current.request() instanceof ServerCall) {
        return null;
      }
      WebFluxCall call = WebFluxCall.of(arguments[0], arguments[1]);
      if (call == null) {
        return null;
      }
      call.start();
      return call;
    }

    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      if (state == null) {
        return returned;
      }
      WebFluxCall call = (WebFluxCall) state;
      Tracer.exit(call.span);
      if (thrown != null) {
        Tracer.end(call.span, null, thrown);
        return returned;
      }
      Object observed = observe(returned, call);
      if (observed == null) {
        call.end();
        return returned;
      }
      return observed;
    }
  }

  /** The Mono methods used, found once per Mono class; null where the class is no Reactor Mono of a known shape. */
  private static final ClassValue<Method[]> OPERATORS = new ClassValue<Method[]>() {
    @Override
    protected Method[] computeValue(Class<?> type) {
      Class<?> mono = type;
      while (mono != null && !mono.getName().equals("reactor.core.publisher.Mono")) {
        mono = mono.getSuperclass();
      }
      if (mono == null) {
        return null;
      }
      try {
        return new Method[] {mono.getMethod("doOnError", Consumer.class), mono.getMethod("doFinally", Consumer.class),
            mono.getMethod("defer", Supplier.class)};
      } catch (Exception e) {
        return null;
      }
    }
  };

  /** The response Mono with the span ending on its termination and current while it is subscribed; or null. */
  private static Object observe(Object mono, WebFluxCall call) {
    Method[] ops = mono == null ? null : OPERATORS.get(mono.getClass());
    if (ops == null) {
      return null;
    }
    try {
      Object observed = ops[0].invoke(mono, call.onError);
      observed = ops[1].invoke(observed, call.onFinally);
      return ops[2].invoke(null, new ScopedDefer(call.span, observed));
    } catch (Exception e) {
      return null;
    }
  }

  /** {@code createExchange}, called inside {@code handle}: the exchange holds the route and the handled error. */
  static final class ExchangeHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      return null;
    }

    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      Span current = Tracer.current();
      if (current != null && current.request() instanceof WebFluxCall) {
        ((WebFluxCall) current.request()).exchange = returned;
      }
      return returned;
    }
  }

  /**
   * {@code HttpServerOperations.onInboundNext}: Reactor Netty hands a request's inbound data (the body and
   * its end, on which a handler with a body argument runs) to the request's subscribers here, on the event
   * loop; the request's span is current meanwhile.
   */
  static final class NettyInbound implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named("reactor.netty.http.server.HttpServerOperations");
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Collections.singletonList(new MethodAdvice(MethodMatcher.named("onInboundNext").takesArguments(2),
          new InboundHook()));
    }
  }

  static final class InboundHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      WebFluxCall call = WebFluxCall.BY_CONNECTION.get(self);
      if (call == null || call.span == null || call.span.isEnded() || Tracer.current() == call.span) {
        return null;
      }
      return new Previous(Tracer.attach(call.span));
    }

    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      if (state != null) {
        Tracer.restore(((Previous) state).span);
      }
      return returned;
    }
  }
}
