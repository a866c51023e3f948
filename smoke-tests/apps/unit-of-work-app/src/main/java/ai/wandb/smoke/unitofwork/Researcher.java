package ai.wandb.smoke.unitofwork;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/** Annotated for OpenTelemetry already, as many apps are. */
final class Researcher {
  private final Model model;

  Researcher(Model model) {
    this.model = model;
  }

  @WithSpan("research")
  String research(@SpanAttribute("research.topic") String topic, int depth) {
    StringBuilder notes = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      notes.append(model.complete("Note " + i + " on " + topic));
    }
    return notes.toString();
  }
}
