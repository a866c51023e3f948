package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * Web requests as latent roots: a request that did GenAI work is one trace rooted in it; one that did
 * none (health checks, static files) leaves nothing. Switch: {@code wandb.instrumentation.http-server.enabled}.
 */
public final class HttpServerInstrumentationModule implements InstrumentationModule {
  @Override
  public String name() {
    return "http-server";
  }

  /** None: the two servlet namespaces are told apart by the exact class names, a set look-up. */
  @Override
  public List<String> classLoaderMarkers() {
    return Collections.emptyList();
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.<TypeInstrumentation>singletonList(new HttpServletInstrumentation());
  }
}
