package ai.wandb.agent.instrumentation.langchain4j;

/**
 * A tool result marked as an error with no exception behind it (an executor that returns
 * {@code ToolExecutionResult.isError()}): the span's error, with the text the model got as its message.
 */
final class ToolErrorResult extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ToolErrorResult(String resultText) {
    // No stack: it would show the agent's frames, not where the tool failed.
    super(resultText, null, false, false);
  }
}
