package ai.wandb.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * What the provider stand-ins share: a started loopback server, their recorded responses, and answering
 * with a whole body or with an event stream cut short.
 */
public final class Loopback {
  private Loopback() {}

  /** A server on a free loopback port handling every path, on daemon threads named {@code threadName}. */
  public static HttpServer start(String threadName, HttpHandler handler) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", handler);
      server.setExecutor(Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, threadName);
        thread.setDaemon(true);
        return thread;
      }));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A recorded resource, {@code /<directory>/<file>} on the class path. */
  public static String resource(String directory, String file) {
    String path = "/" + directory + "/" + file;
    try (InputStream in = Loopback.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no recorded response " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole body, with its length (the content type is already set). */
  public static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Headers announce the whole body, then the connection drops after half of it. */
  public static void sendHalfThenDrop(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    OutputStream out = exchange.getResponseBody();
    out.write(bytes, 0, bytes.length / 2);
    out.flush();
    throw new IOException("test server drops the connection mid-body");
  }

  /** Waits before answering, for a reply that comes late. */
  public static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The first {@code events} events of an event stream (events end with {@code separator}), then a dropped
   * connection: failing the exchange makes the JDK server drop it mid-body.
   */
  public static void sendEventsThenDrop(HttpExchange exchange, int status, String body, String separator, int events)
      throws IOException {
    String[] all = body.split(separator);
    StringBuilder sent = new StringBuilder();
    for (int i = 0; i < Math.min(events, all.length); i++) {
      sent.append(all[i]).append(separator);
    }
    exchange.sendResponseHeaders(status, 0);
    OutputStream out = exchange.getResponseBody();
    out.write(sent.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    // Time for the client to read what was sent, so that it meets the drop while waiting for more:
    // one way in every run (some clients report a drop differently while data is still in flight).
    pause(200);
    throw new IOException("test server drops the connection after " + events + " events");
  }
}
