package ai.wandb.agent.export.wandb;

import java.io.IOException;

/** A final answer from W&B that is not a success: a refused status or GraphQL errors. */
public final class WandbApiException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public WandbApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status; 200 for GraphQL errors in a successful response. */
  public int status() {
    return status;
  }
}
