package ai.wandb.agent.api.stainless;

/** What {@link StainlessCall} needs to know of a span's request ({@code Span.request()}). */
public interface StainlessRequest {
  /** Whether the call returns a stream of chunks or events. */
  boolean streaming();

  /**
   * Whether the call's stream may carry a message the agent alone caused, which the app must not see
   * (OpenAI's usage-only chunk when the agent asked for stream usage). False spares the app thread the
   * per-line {@link #hides} check.
   */
  boolean hidesMessages();

  /**
   * Whether an SSE line, as the SDK's decoder reads it, belongs to such a message: the SDK's decoder
   * then drops the message as it drops comments. Called on the app thread for each line of a stream
   * whose request {@link #hidesMessages}: a look at the text, no parsing.
   */
  boolean hides(String sseLine);
}
