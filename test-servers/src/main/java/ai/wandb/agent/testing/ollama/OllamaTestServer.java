package ai.wandb.agent.testing.ollama;

import ai.wandb.agent.testing.Loopback;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An Ollama server on loopback ({@code /api/chat}, {@code /api/embed}, ...) that replays recorded
 * responses (Ollama's real JSON, from {@code /ollama/*.json} on the class path) queued per path, answers
 * Ollama's error body when nothing is queued, and records what it was sent.
 */
public final class OllamaTestServer implements AutoCloseable {
  private HttpServer server;
  private final Map<String, Deque<String>> replies = new ConcurrentHashMap<>();
  private final List<String> requests = new ArrayList<>();

  private OllamaTestServer() {}

  public static OllamaTestServer start() {
    OllamaTestServer testServer = new OllamaTestServer();
    testServer.server = Loopback.start("ollama-test-server", testServer::handle);
    return testServer;
  }

  /** The base URL to give the client (it adds {@code /api/...} itself). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues {@code /ollama/<name>.json} for the next request to {@code path} (e.g. {@code /api/chat}). */
  public OllamaTestServer enqueueRecorded(String path, String name) {
    replies.computeIfAbsent(path, p -> new ArrayDeque<>()).addLast(Loopback.resource("ollama", name + ".json"));
    return this;
  }

  /** The request bodies, in order. */
  public synchronized List<String> requests() {
    return new ArrayList<>(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    synchronized (this) {
      requests.add(body);
    }
    Deque<String> queue = replies.get(exchange.getRequestURI().getPath());
    String reply = queue == null ? null : queue.pollFirst();
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if (reply == null) {
      Loopback.send(exchange, 404, "{\"error\":\"no reply queued for " + exchange.getRequestURI().getPath() + "\"}");
    } else {
      Loopback.send(exchange, 200, reply);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
