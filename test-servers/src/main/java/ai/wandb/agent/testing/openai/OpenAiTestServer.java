package ai.wandb.agent.testing.openai;

import ai.wandb.agent.testing.Loopback;
import ai.wandb.agent.api.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OpenAI-compatible server on loopback that replays recorded responses (in OpenAI's real JSON
 * shapes, from {@code /openai/*.json} on the class path) and records what it was sent.
 */
public final class OpenAiTestServer implements AutoCloseable {
  private HttpServer server;
  private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
  private final List<RecordedRequest> requests = new ArrayList<>();

  private OpenAiTestServer() {}

  public static OpenAiTestServer start() {
    OpenAiTestServer testServer = new OpenAiTestServer();
    testServer.server = Loopback.start("openai-test-server", testServer::handle);
    return testServer;
  }

  /** The base URL to give the SDK, ending in {@code /v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Queues a reply for the next request to {@code path} (e.g. {@code /v1/chat/completions}). */
  public OpenAiTestServer enqueue(String path, Reply reply) {
    replies.computeIfAbsent(path, p -> new ArrayDeque<>()).addLast(reply);
    return this;
  }

  public synchronized List<RecordedRequest> requests() {
    return new ArrayList<>(requests);
  }

  /** A recorded response body from {@code /openai/<name>.json}. */
  public static String recorded(String name) {
    return resource(name + ".json");
  }

  /** A recorded resource under {@code /openai/}. */
  public static String resource(String file) {
    return Loopback.resource("openai", file);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    synchronized (this) {
      requests.add(new RecordedRequest(exchange.getRequestMethod(), path,
          exchange.getRequestHeaders().getFirst("Authorization"), new String(body, StandardCharsets.UTF_8)));
    }
    Deque<Reply> queue = replies.get(path);
    Reply reply = queue == null ? null : queue.pollFirst();
    if (reply == null) {
      reply = Reply.json(404, "{\"error\":{\"message\":\"no reply queued for " + path
          + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
    }
    reply.send(exchange, new String(body, StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** What the server was sent. */
  public record RecordedRequest(String method, String path, String authorization, String body) {}

  /**
   * One queued reply: status, content type, body, an optional delay before answering, and an optional
   * dropped connection (as when a server or a proxy dies): before the answer, halfway through the body,
   * or for event streams after that many events.
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

    /** The connection drops before any byte of the answer (the request was read). */
    public Reply droppedBeforeAnswer() {
      return new Reply(status, contentType, body, delayMillis, BEFORE_ANSWER);
    }

    /** Headers announce the whole body, then the connection drops after half of it. */
    public Reply droppedMidBody() {
      return new Reply(status, contentType, body, delayMillis, MID_BODY);
    }

    public static Reply recorded(String name) {
      return json(200, OpenAiTestServer.recorded(name));
    }

    /**
     * The recorded chat completion ({@code chat-completion.json}) with another assistant text: one answer
     * of a run whose every model call says something else (agents passing their results on).
     */
    @SuppressWarnings("unchecked")
    public static Reply chatCompletionSaying(String content) {
      try {
        Map<String, Object> completion = Json.parseObject(OpenAiTestServer.recorded("chat-completion"));
        Map<String, Object> choice = ((List<Map<String, Object>>) completion.get("choices")).get(0);
        ((Map<String, Object>) choice.get("message")).put("content", content);
        return json(200, Json.write(completion));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * A recorded event stream, {@code /openai/<name>.sse}, as OpenAI sends it ({@code data: {...}} events,
     * Responses and Assistants with {@code event:} lines, ending in {@code data: [DONE]} where OpenAI does).
     * Like OpenAI, a chat stream carries its usage-only last chunk only if the request asked for
     * {@code stream_options.include_usage}.
     */
    public static Reply sse(String name) {
      return new Reply(200, "text/event-stream", OpenAiTestServer.resource(name + ".sse"), 0, -1);
    }

    public Reply delayedBy(long millis) {
      return new Reply(status, contentType, body, millis, cutAfterEvents);
    }

    /** The connection drops after {@code events} events, without the rest of the stream. */
    public Reply cutAfter(int events) {
      return new Reply(status, contentType, body, delayMillis, events);
    }

    void send(HttpExchange exchange, String requestBody) throws IOException {
      Loopback.pause(delayMillis);
      String text = body;
      if (contentType.equals("text/event-stream")) {
        text = eventsFor(requestBody);
      }
      if (cutAfterEvents == BEFORE_ANSWER) {
        throw new IOException("test server drops the connection before answering");
      }
      exchange.getResponseHeaders().set("Content-Type", contentType);
      if (cutAfterEvents == MID_BODY) {
        Loopback.sendHalfThenDrop(exchange, status, text);
        return;
      }
      exchange.getResponseHeaders().set("x-request-id", "req_test");
      if (cutAfterEvents < 0) {
        Loopback.send(exchange, status, text);
      } else {
        Loopback.sendEventsThenDrop(exchange, status, text, "\n\n", cutAfterEvents);
      }
    }

    private String eventsFor(String requestBody) {
      if (requestBody.replace(" ", "").contains("\"include_usage\":true")) {
        return body;
      }
      StringBuilder out = new StringBuilder();
      for (String event : body.split("\n\n")) {
        if (!event.isBlank() && !event.contains("\"choices\":[],")) {
          out.append(event).append("\n\n");
        }
      }
      return out.toString();
    }
  }
}
