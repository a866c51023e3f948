package ai.wandb.examples.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback Gemini API ({@code /v1beta/models/<model>:<method>}) with canned, deterministic answers in the
 * API's shapes: {@code generateContent} and {@code streamGenerateContent?alt=sse} answer with a GitHub
 * search URL built from the last user text, a question about stars gets a {@code functionCall} of
 * {@code starCount} and its {@code functionResponse} an answer, a question with {@code quota-demo} gets
 * 429 {@code RESOURCE_EXHAUSTED}; {@code batchEmbedContents}/{@code embedContent} and {@code countTokens}
 * answer too. Token counts are derived from the request, so runs print and record the same thing.
 */
final class OfflineGeminiEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> STOP_WORDS = Set.of("find", "only", "ones", "that", "the", "a", "for", "me");

  private final HttpServer server;
  private final ExecutorService executor;

  private OfflineGeminiEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static OfflineGeminiEndpoint start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // Daemon threads: an endpoint someone forgot to close must not keep the JVM alive.
    ExecutorService executor = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "offline-gemini-endpoint");
      thread.setDaemon(true);
      return thread;
    });
    OfflineGeminiEndpoint endpoint = new OfflineGeminiEndpoint(server, executor);
    server.createContext("/", endpoint::handle);
    server.setExecutor(executor);
    server.start();
    return endpoint;
  }

  /** The base URL to give the client's {@code HttpOptions}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = path.substring(path.lastIndexOf(':') + 1);
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      int promptTokens = Math.max(1, request.toString().length() / 8);
      switch (method) {
        case "generateContent" -> generate(exchange, request, promptTokens);
        case "streamGenerateContent" -> stream(exchange, request, promptTokens);
        case "batchEmbedContents", "embedContent" -> embed(exchange, method);
        case "countTokens" -> send(exchange, 200, "application/json",
            JSON.createObjectNode().put("totalTokens", promptTokens).toString());
        default -> error(exchange, 404, "NOT_FOUND", "Method not found: " + method);
      }
    }
  }

  private void generate(HttpExchange exchange, JsonNode request, int promptTokens) throws IOException {
    String text = lastUserText(request);
    ObjectNode part = JSON.createObjectNode();
    if (text.contains("quota-demo")) {
      error(exchange, 429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).");
      return;
    } else if (request.toString().contains("functionResponse")) {
      part.put("text", "snakeyaml/snakeyaml has " + functionResult(request) + " stars.");
    } else if (text.contains("stars")) {
      ObjectNode call = part.putObject("functionCall");
      call.put("name", "starCount");
      call.putObject("args").put("repository", "snakeyaml/snakeyaml");
    } else {
      part.put("text", searchUrl(text));
    }
    send(exchange, 200, "application/json", response(List.of(part), true, promptTokens).toString());
  }

  private void stream(HttpExchange exchange, JsonNode request, int promptTokens) throws IOException {
    String url = searchUrl(lastUserText(request));
    int third = url.length() / 3;
    List<String> pieces = List.of(url.substring(0, third), url.substring(third, 2 * third), url.substring(2 * third));
    StringBuilder events = new StringBuilder();
    for (int i = 0; i < pieces.size(); i++) {
      ObjectNode part = JSON.createObjectNode().put("text", pieces.get(i));
      events.append("data: ").append(response(List.of(part), i == pieces.size() - 1, promptTokens)).append("\r\n\r\n");
    }
    send(exchange, 200, "text/event-stream", events.toString());
  }

  private void embed(HttpExchange exchange, String method) throws IOException {
    ObjectNode embedding = JSON.createObjectNode();
    ArrayNode values = embedding.putArray("values");
    for (int i = 0; i < 8; i++) {
      values.add((i % 3 - 1) * 0.125);
    }
    ObjectNode body = JSON.createObjectNode();
    if (method.equals("embedContent")) {
      body.set("embedding", embedding);
    } else {
      body.putArray("embeddings").add(embedding);
    }
    send(exchange, 200, "application/json", body.toString());
  }

  /** One {@code GenerateContentResponse}; the last of a stream has the finish reason and the full usage. */
  private static ObjectNode response(List<ObjectNode> parts, boolean last, int promptTokens) {
    ObjectNode response = JSON.createObjectNode();
    ObjectNode candidate = response.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.putArray("parts").addAll(new ArrayList<>(parts));
    content.put("role", "model");
    if (last) {
      candidate.put("finishReason", "STOP");
    }
    candidate.put("index", 0);
    ObjectNode usage = response.putObject("usageMetadata");
    usage.put("promptTokenCount", promptTokens);
    if (last) {
      int output = 12 * parts.size();
      usage.put("candidatesTokenCount", output);
      usage.put("thoughtsTokenCount", 16);
      usage.put("totalTokenCount", promptTokens + output + 16);
    } else {
      usage.put("totalTokenCount", promptTokens);
    }
    response.put("modelVersion", "gemini-2.5-flash");
    response.put("responseId", "offline-" + Integer.toHexString(promptTokens * 31 + parts.size()));
    return response;
  }

  private static String lastUserText(JsonNode request) {
    JsonNode contents = request.path("contents");
    for (int i = contents.size() - 1; i >= 0; i--) {
      JsonNode content = contents.get(i);
      if (content.path("role").asText("user").equals("user")) {
        for (JsonNode part : content.path("parts")) {
          if (part.has("text")) {
            return part.get("text").asText();
          }
        }
      }
    }
    return "";
  }

  private static String functionResult(JsonNode request) {
    for (JsonNode content : request.path("contents")) {
      for (JsonNode part : content.path("parts")) {
        if (part.has("functionResponse")) {
          return part.path("functionResponse").path("response").path("result").asText();
        }
      }
    }
    return "0";
  }

  private static String searchUrl(String question) {
    List<String> words = new ArrayList<>();
    for (String word : question.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}+#]+")) {
      if (!word.isEmpty() && !STOP_WORDS.contains(word)) {
        words.add(word);
      }
    }
    return "https://github.com/search?q=" + String.join("+", words) + "&type=repositories";
  }

  private static void error(HttpExchange exchange, int code, String status, String message) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("code", code).put("message", message).put("status", status);
    send(exchange, code, "application/json", body.toString());
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
