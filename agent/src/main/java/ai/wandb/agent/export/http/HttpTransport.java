package ai.wandb.agent.export.http;

import java.io.IOException;
import java.util.Map;

/**
 * The one way the agent talks HTTP, so the client can be swapped or faked. The implementation is
 * {@link UrlConnectionTransport}: OkHttp would not fit the agent jar's 5 MB budget (see the README).
 */
public interface HttpTransport {
  /** Sends one request; a non-2xx status is a result, only I/O failures throw. */
  HttpResult send(String method, String url, Map<String, String> headers, byte[] body, int timeoutMillis)
      throws IOException;
}
