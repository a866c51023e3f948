package ai.wandb.agent.testing.wandb;

/** A request the strict server refuses: the status and JSON body the real service would send. */
final class Rejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String body;

  Rejection(int status, String body) {
    super(status + " " + body);
    this.status = status;
    this.body = body;
  }

  /** FastAPI-style validation error, as the trace server answers a schema violation. */
  static Rejection unprocessable(String location, String message) {
    return new Rejection(422, "{\"detail\":[{\"loc\":" + Strict.quote(location) + ",\"msg\":"
        + Strict.quote(message) + ",\"type\":\"value_error\"}]}");
  }

  /** Trace-server style error with a {@code reason}. */
  static Rejection reason(int status, String reason) {
    return new Rejection(status, "{\"reason\":" + Strict.quote(reason) + "}");
  }

  /** The W&B API's error shape: a JSON object with {@code error}. */
  static Rejection error(int status, String message) {
    return new Rejection(status, "{\"error\":" + Strict.quote(message) + "}");
  }
}
