package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * Web requests as latent roots: a request that did GenAI work is one trace rooted in it; one that did
 * none (health checks, static files) leaves nothing. One module per servlet namespace, so each has its
 * class-loader gate; both answer to {@code wandb.instrumentation.http-server.enabled}.
 */
public abstract class HttpServerInstrumentationModule implements InstrumentationModule {
  private final String servletPackage;

  HttpServerInstrumentationModule(String servletPackage) {
    this.servletPackage = servletPackage;
  }

  @Override
  public String name() {
    return "http-server";
  }

  @Override
  public List<String> classLoaderMarkers() {
    return Collections.singletonList(servletPackage + ".http.HttpServlet");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.<TypeInstrumentation>singletonList(new HttpServletInstrumentation(servletPackage));
  }

  /** {@code javax.servlet}: Servlet 4 and older (Tomcat 9, Jetty 9-11 ee8, Spring Boot 2). */
  public static final class Javax extends HttpServerInstrumentationModule {
    public Javax() {
      super("javax.servlet");
    }
  }

  /** {@code jakarta.servlet}: Servlet 5+ (Tomcat 10+, Jetty 12 ee9/ee10, Undertow 2.3, Spring Boot 3). */
  public static final class Jakarta extends HttpServerInstrumentationModule {
    public Jakarta() {
      super("jakarta.servlet");
    }
  }
}
