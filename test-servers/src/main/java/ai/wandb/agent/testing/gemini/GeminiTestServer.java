package ai.wandb.agent.testing.gemini;

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
 * A Gemini API server on loopback (the Developer API's {@code /v1beta/models/<model>:<method>} and Vertex
 * AI's {@code /v1beta1/projects/.../models/<model>:<method>}) that replays recorded responses in the API's
 * real JSON and SSE shapes, from {@code /gemini/*} on the class path, and records what it was sent. Replies
 * are queued per method: {@code generateContent}, {@code streamGenerateContent}, {@code embedContent},
 * {@code batchEmbedContents}, {@code countTokens}. Errors have Google's shape
 * ({@code {"error":{"code","message","status"}}}).
 */
public final class GeminiTestServer implements AutoCloseable {
  private HttpServer server;
  private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();

  private GeminiTestServer() {}

  public static GeminiTestServer start() {
    GeminiTestServer testServer = new GeminiTestServer();
    testServer.server = Loopback.start("gemini-test-server", testServer::handle);
    return testServer;
  }

  /** The base URL to give the SDK ({@code HttpOptions.baseUrl}); the SDK adds the API version. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues a reply for the next request to a method (e.g. {@code generateContent}) of any model. */
  public GeminiTestServer enqueue(String method, Reply reply) {
    replies.computeIfAbsent(method, m -> new ArrayDeque<>()).addLast(reply);
    return this;
  }

  public synchronized List<RecordedRequest> requests() {
    return new ArrayList<>(requests);
  }

  /** A recorded resource under {@code /gemini/}. */
  public static String resource(String file) {
    return Loopback.resource("gemini", file);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    String method = path.substring(path.lastIndexOf(':') + 1);
    synchronized (this) {
      requests.add(new RecordedRequest(exchange.getRequestMethod(), path, exchange.getRequestURI().getQuery(),
          exchange.getRequestHeaders().getFirst("x-goog-api-key"), new String(body, StandardCharsets.UTF_8)));
    }
    Deque<Reply> queue = replies.get(method);
    Reply reply = queue == null ? null : queue.pollFirst();
    if (reply == null) {
      reply = Reply.error(404, "NOT_FOUND", "no reply queued for " + path);
    }
    reply.send(exchange);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** What the server was sent: method, path ({@code /v1beta/models/gemini-2.5-flash:generateContent}), query, API key, body. */
  public record RecordedRequest(String method, String path, String query, String apiKey, String body) {}

  /** One queued reply: status, content type, body, and for event streams an optional drop after some events. */
  public static final class Reply {
    private final int status;
    private final String contentType;
    private final String body;
    private final int cutAfterEvents;

    private Reply(int status, String contentType, String body, int cutAfterEvents) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
      this.cutAfterEvents = cutAfterEvents;
    }

    public static Reply json(int status, String body) {
      return new Reply(status, "application/json; charset=UTF-8", body, -1);
    }

    /** A recorded response body, {@code /gemini/<name>.json}. */
    public static Reply recorded(String name) {
      return json(200, resource(name + ".json"));
    }

    /** A recorded event stream, {@code /gemini/<name>.sse}: {@code data: {...}} events, as the API sends with {@code alt=sse}. */
    public static Reply sse(String name) {
      return new Reply(200, "text/event-stream", resource(name + ".sse"), -1);
    }

    /** An API error as Google sends it, e.g. {@code (429, "RESOURCE_EXHAUSTED", ...)}. */
    public static Reply error(int code, String status, String message) {
      return json(code, "{\n  \"error\": {\n    \"code\": " + code + ",\n    \"message\": \"" + message
          + "\",\n    \"status\": \"" + status + "\"\n  }\n}\n");
    }

    /** The connection drops after {@code events} events, without the rest of the stream. */
    public Reply cutAfter(int events) {
      return new Reply(status, contentType, body, events);
    }

    void send(HttpExchange exchange) throws IOException {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      if (cutAfterEvents < 0) {
        Loopback.send(exchange, status, body);
      } else {
        Loopback.sendEventsThenDrop(exchange, status, body, "\r\n\r\n", cutAfterEvents);
      }
    }
  }
}
