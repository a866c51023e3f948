package ai.wandb.smoke.unitofwork;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Annotated for OpenTelemetry already, as many apps are. */
final class Researcher {
  private final Model model;
  private final ExecutorService workers;

  Researcher(Model model, ExecutorService workers) {
    this.model = model;
    this.workers = workers;
  }

  @WithSpan("research")
  String research(@SpanAttribute("research.topic") String topic, int depth) {
    StringBuilder notes = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      notes.append(model.complete("Note " + i + " on " + topic));
    }
    return notes.toString();
  }

  /** Two sources read at once: one on the app's pool, one on the common pool. */
  @WithSpan("survey")
  String survey(@SpanAttribute("survey.topic") String topic) throws InterruptedException, ExecutionException {
    Future<String> papers = workers.submit(() -> model.complete("Papers on " + topic));
    CompletableFuture<String> books = CompletableFuture.supplyAsync(() -> model.complete("Books on " + topic));
    return papers.get() + " / " + books.join();
  }
}
