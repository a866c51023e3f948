package ai.wandb.agent.api.stainless;

/** What {@link StainlessCall} needs to know of a span's request ({@code Span.request()}). */
public interface StainlessRequest {
  /** Whether the call returns a stream of chunks or events. */
  boolean streaming();

  /**
   * Whether a chunk was caused by the agent alone and the app must not see it (OpenAI's usage-only
   * chunk when the agent asked for stream usage). Called on the app thread for every chunk.
   */
  boolean hidesChunk(Object chunk);
}
