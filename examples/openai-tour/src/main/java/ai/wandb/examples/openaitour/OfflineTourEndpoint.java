package ai.wandb.examples.openaitour;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback, OpenAI-compatible server for the tour when there is no API key: each path answers the
 * tour's calls in order with responses recorded from OpenAI (the project's test-server recordings,
 * copied into this jar at build time), JSON or server-sent events, including the one HTTP 500 the
 * "chat server error" step is there to show.
 */
final class OfflineTourEndpoint implements AutoCloseable {
  private record Reply(int status, String contentType, String resource) {
    static Reply json(String name) {
      return new Reply(200, "application/json", name + ".json");
    }

    static Reply sse(String name) {
      return new Reply(200, "text/event-stream", name + ".sse");
    }
  }

  private static final String CHAT = "/v1/chat/completions";
  private static final String THREAD_RUNS = "/v1/threads/thread_abc123/runs";

  private final Map<String, Deque<Reply>> replies = new HashMap<>();
  private final HttpServer server;
  private final ExecutorService executor;

  private OfflineTourEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
    script(CHAT, Reply.json("chat-completion"), Reply.json("chat-completion"), Reply.json("chat-completion-structured"),
        Reply.json("chat-completion"), Reply.sse("chat-completion-stream"), Reply.sse("chat-completion-stream"),
        Reply.json("chat-completion"), Reply.sse("chat-completion-stream"),
        new Reply(500, "application/json", "error-500.json"));
    script("/v1/responses", Reply.json("response"), Reply.sse("response-stream"), Reply.json("response"));
    script("/v1/responses/" + OpenAiTour.RESPONSE, Reply.sse("response-stream"));
    script("/v1/responses/compact", Reply.json("response-compact"));
    script("/v1/embeddings", Reply.json("embeddings"), Reply.json("embeddings"));
    script("/v1/completions", Reply.json("completion"), Reply.sse("completion-stream"));
    script(THREAD_RUNS, Reply.json("run-queued"), Reply.sse("run-stream"));
    script("/v1/threads/runs", Reply.json("run-queued"));
    script(THREAD_RUNS + "/run_abc123/submit_tool_outputs", Reply.json("run-completed"));
  }

  private void script(String path, Reply... inOrder) {
    replies.put(path, new ArrayDeque<>(List.of(inOrder)));
  }

  static OfflineTourEndpoint start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // Daemon threads: an endpoint left open must not keep the JVM alive.
    ExecutorService executor = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "offline-tour-endpoint");
      thread.setDaemon(true);
      return thread;
    });
    OfflineTourEndpoint endpoint = new OfflineTourEndpoint(server, executor);
    server.createContext("/", endpoint::handle);
    server.setExecutor(executor);
    server.start();
    return endpoint;
  }

  /** The base URL to give the OpenAI client, e.g. {@code http://127.0.0.1:41234/v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      Reply reply;
      synchronized (replies) {
        Deque<Reply> queue = replies.get(path);
        reply = queue == null ? null : queue.size() > 1 ? queue.poll() : queue.peek();
      }
      if (reply == null) {
        byte[] body = ("{\"error\":{\"message\":\"Unknown request URL: " + exchange.getRequestMethod() + " " + path
            + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"unknown_url\"}}")
            .getBytes(StandardCharsets.UTF_8);
        send(exchange, 404, "application/json", body);
        return;
      }
      byte[] body = recorded(reply.resource());
      if (reply.contentType().equals("text/event-stream")) {
        body = eventsFor(request, new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      }
      send(exchange, reply.status(), reply.contentType(), body);
    }
  }

  /** Like OpenAI, a stream ends in its usage-only chunk (no choices) only when the request asked for it. */
  private static String eventsFor(String request, String events) {
    if (request.replace(" ", "").contains("\"include_usage\":true")) {
      return events;
    }
    StringBuilder out = new StringBuilder();
    for (String event : events.split("\n\n")) {
      if (!event.isBlank() && !event.contains("\"choices\":[],")) {
        out.append(event).append("\n\n");
      }
    }
    return out.toString();
  }

  private static byte[] recorded(String resource) throws IOException {
    try (InputStream in = OfflineTourEndpoint.class.getResourceAsStream("/offline/" + resource)) {
      if (in == null) {
        throw new IOException("the recorded response /offline/" + resource + " is missing from the jar");
      }
      return in.readAllBytes();
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("x-request-id", "req_offline");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
