package ai.wandb.agent.instrumentation.methods;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;

/**
 * Methods annotated with OpenTelemetry's {@code @WithSpan}, on class loaders that have the annotation
 * (apps instrumented for OpenTelemetry already); no annotation of the agent's own is needed.
 */
public final class OpenTelemetryAnnotationsModule implements InstrumentationModule {
  @Override
  public String name() {
    return "opentelemetry-annotations";
  }

  @Override
  public List<String> classLoaderMarkers() {
    return Collections.singletonList("io.opentelemetry.instrumentation.annotations.WithSpan");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.<TypeInstrumentation>singletonList(
        new AnnotatedMethods(Collections.singletonList("io.opentelemetry.instrumentation.annotations.WithSpan")));
  }
}
