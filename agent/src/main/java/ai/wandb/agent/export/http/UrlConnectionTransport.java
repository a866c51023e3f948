package ai.wandb.agent.export.http;

import ai.wandb.agent.api.InputStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Map;

/** {@link HttpTransport} on the JDK's {@link HttpURLConnection}: no dependency, keep-alive by the JDK. */
public final class UrlConnectionTransport implements HttpTransport {
  @Override
  public HttpResult send(String method, String url, Map<String, String> headers, byte[] body, int timeoutMillis)
      throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    try {
      connection.setRequestMethod(method);
      connection.setConnectTimeout(timeoutMillis);
      connection.setReadTimeout(timeoutMillis);
      connection.setUseCaches(false);
      connection.setInstanceFollowRedirects(false);
      for (Map.Entry<String, String> header : headers.entrySet()) {
        connection.setRequestProperty(header.getKey(), header.getValue());
      }
      if (body != null) {
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        OutputStream out = connection.getOutputStream();
        try {
          out.write(body);
        } finally {
          out.close();
        }
      }
      int status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      return new HttpResult(status, read(in), connection.getHeaderField("Retry-After"));
    } finally {
      connection.disconnect();
    }
  }

  private static byte[] read(InputStream in) throws IOException {
    return in == null ? new byte[0] : InputStreams.readAll(in);
  }
}
