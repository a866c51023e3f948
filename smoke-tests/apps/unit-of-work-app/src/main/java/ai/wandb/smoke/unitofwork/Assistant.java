package ai.wandb.smoke.unitofwork;

/** The app's unit of work, with no annotation: wandb.trace.methods names answer and plan. */
final class Assistant {
  private final Model model;

  Assistant(Model model) {
    this.model = model;
  }

  String answer(String question) {
    String plan = plan(question);
    return model.complete("Answer " + question + " following: " + plan);
  }

  String plan(String question) {
    return model.complete("Plan an answer to: " + question);
  }
}
