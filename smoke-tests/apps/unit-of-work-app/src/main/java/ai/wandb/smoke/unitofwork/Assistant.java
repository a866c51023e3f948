package ai.wandb.smoke.unitofwork;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** The app's unit of work, with no annotation: wandb.trace.methods names answer, plan and brainstorm. */
final class Assistant {
  private final Model model;
  private final ExecutorService workers;

  Assistant(Model model, ExecutorService workers) {
    this.model = model;
    this.workers = workers;
  }

  String answer(String question) {
    String plan = plan(question);
    return model.complete("Answer " + question + " following: " + plan);
  }

  String plan(String question) {
    return model.complete("Plan an answer to: " + question);
  }

  /** Two ideas at once: one on the app's pool, one on the common pool. */
  String brainstorm(String topic) throws InterruptedException, ExecutionException {
    Future<String> idea = workers.submit(() -> model.complete("An idea on " + topic));
    CompletableFuture<String> doubt = CompletableFuture.supplyAsync(() -> model.complete("A doubt on " + topic));
    return idea.get() + " / " + doubt.join();
  }
}
