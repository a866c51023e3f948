package ai.wandb.agent.testing.anthropic;

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
 * An Anthropic Messages API server on loopback that replays recorded responses (Anthropic's real JSON
 * and event-stream shapes, from {@code /anthropic/*} on the class path), answers with Anthropic's error
 * bodies on request, and records what it was sent. Replies are queued per path
 * ({@code /v1/messages}, {@code /v1/messages/count_tokens}, {@code /v1/messages/batches}, ...); the beta
 * API uses the same paths with {@code ?beta=true}.
 */
public final class AnthropicTestServer implements AutoCloseable {
  private HttpServer server;
  private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();

  private AnthropicTestServer() {}

  public static AnthropicTestServer start() {
    AnthropicTestServer testServer = new AnthropicTestServer();
    testServer.server = Loopback.start("anthropic-test-server", testServer::handle);
    return testServer;
  }

  /** The base URL to give the SDK (it adds {@code /v1/...} itself). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues a reply for the next request to {@code path} (e.g. {@code /v1/messages}). */
  public AnthropicTestServer enqueue(String path, Reply reply) {
    replies.computeIfAbsent(path, p -> new ArrayDeque<>()).addLast(reply);
    return this;
  }

  public synchronized List<RecordedRequest> requests() {
    return new ArrayList<>(requests);
  }

  /** A recorded resource under {@code /anthropic/}. */
  public static String resource(String file) {
    return Loopback.resource("anthropic", file);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    synchronized (this) {
      requests.add(new RecordedRequest(exchange.getRequestMethod(), path, exchange.getRequestURI().getQuery(),
          exchange.getRequestHeaders().getFirst("x-api-key"), exchange.getRequestHeaders().getFirst("anthropic-beta"),
          new String(body, StandardCharsets.UTF_8)));
    }
    Deque<Reply> queue = replies.get(path);
    Reply reply = queue == null ? null : queue.pollFirst();
    if (reply == null) {
      reply = Reply.error(404, "not_found_error", "no reply queued for " + path);
    }
    reply.send(exchange);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** What the server was sent. */
  public record RecordedRequest(String method, String path, String query, String apiKey, String beta, String body) {}

  /**
   * One queued reply: status, content type, body, an optional delay before answering, and an optional
   * dropped connection (as when a server or a proxy dies): before the answer, halfway through the body, or
   * after that many events of an event stream.
   */
  public static final class Reply {
    private static final int BEFORE_ANSWER = -2;
    private static final int MID_BODY = -3;

    private final int status;
    private final String contentType;
    private final String body;
    private final long delayMillis;
    /** -1: no cut; an event count for event streams; or {@link #BEFORE_ANSWER}, {@link #MID_BODY}. */
    private final int cutAfterEvents;

    private Reply(int status, String contentType, String body, long delayMillis, int cutAfterEvents) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
      this.delayMillis = delayMillis;
      this.cutAfterEvents = cutAfterEvents;
    }

    public static Reply json(int status, String body) {
      return new Reply(status, "application/json", body, 0, -1);
    }

    /** {@code /anthropic/<name>.json} with status 200. */
    public static Reply recorded(String name) {
      return json(200, resource(name + ".json"));
    }

    /**
     * Anthropic's error body, e.g. 401 {@code authentication_error}, 429 {@code rate_limit_error},
     * 529 {@code overloaded_error}, 500 {@code api_error}.
     */
    public static Reply error(int status, String type, String message) {
      return json(status, "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
          + "\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}");
    }

    /** A recorded event stream, {@code /anthropic/<name>.sse}: {@code event: <type>} and {@code data: {...}} frames. */
    public static Reply sse(String name) {
      return new Reply(200, "text/event-stream", resource(name + ".sse"), 0, -1);
    }

    /** The connection drops after {@code events} events, without the rest of the stream. */
    public Reply cutAfter(int events) {
      return new Reply(status, contentType, body, delayMillis, events);
    }

    /** The connection drops before any byte of the answer (the request was read). */
    public Reply droppedBeforeAnswer() {
      return new Reply(status, contentType, body, delayMillis, BEFORE_ANSWER);
    }

    /** Headers announce the whole body, then the connection drops after half of it. */
    public Reply droppedMidBody() {
      return new Reply(status, contentType, body, delayMillis, MID_BODY);
    }

    /** The answer comes this much later (a client with a shorter timeout gives up first). */
    public Reply delayedBy(long millis) {
      return new Reply(status, contentType, body, millis, cutAfterEvents);
    }

    void send(HttpExchange exchange) throws IOException {
      Loopback.pause(delayMillis);
      if (cutAfterEvents == BEFORE_ANSWER) {
        throw new IOException("test server drops the connection before answering");
      }
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.getResponseHeaders().set("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");
      if (cutAfterEvents == MID_BODY) {
        Loopback.sendHalfThenDrop(exchange, status, body);
      } else if (cutAfterEvents < 0) {
        Loopback.send(exchange, status, body);
      } else {
        Loopback.sendEventsThenDrop(exchange, status, body, "\n\n", cutAfterEvents);
      }
    }
  }
}
