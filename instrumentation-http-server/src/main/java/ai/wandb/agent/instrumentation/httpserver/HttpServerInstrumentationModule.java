package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * Web requests as latent roots: a request that did GenAI work is one trace rooted in it; one that did
 * none (health checks, static files) leaves nothing. One module per server API (the two servlet
 * namespaces, Spring WebFlux), so each has its class-loader gate; all answer to
 * {@code wandb.instrumentation.http-server.enabled} and make the same span.
 */
public abstract class HttpServerInstrumentationModule implements InstrumentationModule {
  private final String marker;

  HttpServerInstrumentationModule(String marker) {
    this.marker = marker;
  }

  @Override
  public String name() {
    return "http-server";
  }

  @Override
  public List<String> classLoaderMarkers() {
    return Collections.singletonList(marker);
  }

  /** {@code javax.servlet}: Servlet 4 and older (Tomcat 9, Jetty 9-11 ee8, Spring Boot 2). */
  public static final class Javax extends HttpServerInstrumentationModule {
    public Javax() {
      super("javax.servlet.http.HttpServlet");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
      return Collections.<TypeInstrumentation>singletonList(new HttpServletInstrumentation("javax.servlet"));
    }
  }

  /** {@code jakarta.servlet}: Servlet 5+ (Tomcat 10+, Jetty 12 ee9/ee10, Undertow 2.3, Spring Boot 3). */
  public static final class Jakarta extends HttpServerInstrumentationModule {
    public Jakarta() {
      super("jakarta.servlet.http.HttpServlet");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
      return Collections.<TypeInstrumentation>singletonList(new HttpServletInstrumentation("jakarta.servlet"));
    }
  }

  /** Spring WebFlux (on Reactor Netty, or on a servlet container through Spring's adapter). */
  public static final class WebFlux extends HttpServerInstrumentationModule {
    public WebFlux() {
      super("org.springframework.web.server.adapter.HttpWebHandlerAdapter");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
      return WebFluxInstrumentation.all();
    }
  }
}
