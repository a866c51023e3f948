package ai.wandb.agent.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** What the provider stand-ins share: a started loopback server, and their recorded responses. */
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
}
