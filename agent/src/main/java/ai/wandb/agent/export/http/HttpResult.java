package ai.wandb.agent.export.http;

import java.nio.charset.StandardCharsets;

/** Status, body and the one header the retry rules read. */
public final class HttpResult {
  private final int status;
  private final String body;
  private final byte[] bytes;
  private final String retryAfter;

  public HttpResult(int status, String body, String retryAfter) {
    this.status = status;
    this.body = body == null ? "" : body;
    this.bytes = this.body.getBytes(StandardCharsets.UTF_8);
    this.retryAfter = retryAfter;
  }

  /** A body as received, for binary answers (an OTLP protobuf response). */
  public HttpResult(int status, byte[] bytes, String retryAfter) {
    this.status = status;
    this.bytes = bytes == null ? new byte[0] : bytes;
    this.body = new String(this.bytes, StandardCharsets.UTF_8);
    this.retryAfter = retryAfter;
  }

  /** The body's bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int status() {
    return status;
  }

  public String body() {
    return body;
  }

  /** The {@code Retry-After} header, or null. */
  public String retryAfter() {
    return retryAfter;
  }

  public boolean ok() {
    return status >= 200 && status < 300;
  }

  /** For warnings: the status and the start of the body (which never holds the key). */
  public String describe() {
    String text = body.length() > 300 ? body.substring(0, 300) + "..." : body;
    return "HTTP " + status + " " + text;
  }
}
