package ai.wandb.examples.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback Anthropic Messages endpoint ({@code POST /v1/messages}) with canned, deterministic answers,
 * so the demo runs without an API key. Its responses have the shape of Anthropic's: a message, or for
 * {@code "stream": true} the event stream ({@code message_start}, {@code content_block_*},
 * {@code message_delta} with the usage, {@code message_stop}). With tools offered it calls the first one
 * with the question's key words; given a tool result it answers with that result. A question with
 * {@code fail-demo} in it gets Anthropic's 529 {@code overloaded_error}; a streamed one with
 * {@code cut-demo} in it gets half its events, then the connection drops.
 */
final class OfflineAnthropicEndpoint implements AutoCloseable {
    private static final String FAIL_WORD = "fail-demo";
    private static final String CUT_WORD = "cut-demo";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private OfflineAnthropicEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static OfflineAnthropicEndpoint start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "offline-anthropic-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        OfflineAnthropicEndpoint endpoint = new OfflineAnthropicEndpoint(server, executor);
        server.createContext("/v1/messages", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Not closed on the way out: each answer closes its exchange, and the cut stream must not end cleanly. */
    private void handle(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        JsonNode last = request.path("messages").path(request.path("messages").size() - 1);
        String question = text(last);
        if (question.contains(FAIL_WORD)) {
            send(exchange, 529, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                    + "\"message\":\"Overloaded (offline demo: the question asked for " + FAIL_WORD + ")\"},"
                    + "\"request_id\":\"req_offline_demo\"}");
            return;
        }
        ObjectNode message = message(request, last, question);
        boolean stream = request.path("stream").asBoolean(false);
        if (stream && question.contains(CUT_WORD)) {
            sendHalfThenDrop(exchange, events(message));
        } else if (stream) {
            send(exchange, 200, "text/event-stream", events(message));
        } else {
            send(exchange, 200, "application/json", JSON.writeValueAsString(message));
        }
    }

    /** The answer: a tool call when tools are offered and no result came back yet, else the URL as text. */
    private static ObjectNode message(JsonNode request, JsonNode last, String question) {
        String toolResult = toolResult(last);
        ObjectNode message = JSON.createObjectNode();
        message.put("id", "msg_offline_" + UUID.nameUUIDFromBytes(request.toString().getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "").substring(0, 20));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", request.path("model").asText() + "-20250929");
        ArrayNode content = message.putArray("content");
        boolean callTool = toolResult == null && request.path("tools").size() > 0;
        if (callTool) {
            ObjectNode call = content.addObject();
            call.put("type", "tool_use");
            call.put("id", "toolu_offline_" + Integer.toHexString(question.hashCode()));
            call.put("name", request.path("tools").path(0).path("name").asText());
            call.putObject("input").put("query", GithubSearchUrl.keyWords(question));
        } else {
            String answer = toolResult != null ? toolResult : GithubSearchUrl.of(GithubSearchUrl.keyWords(question));
            content.addObject().put("type", "text").put("text", answer);
        }
        message.put("stop_reason", callTool ? "tool_use" : "end_turn");
        message.putNull("stop_sequence");
        ObjectNode usage = message.putObject("usage");
        usage.put("input_tokens", 12 + request.toString().length() / 16);
        // The system prompt and tool are cached after the first turn, as Anthropic's prompt caching does.
        usage.put("cache_creation_input_tokens", toolResult == null ? 160 : 0);
        usage.put("cache_read_input_tokens", toolResult == null ? 0 : 160);
        usage.put("output_tokens", callTool ? 24 : 8 + content.path(0).path("text").asText().length() / 4);
        return message;
    }

    /** The message as Anthropic streams it: the text in pieces, the usage in {@code message_delta}. */
    private static String events(ObjectNode message) throws IOException {
        String text = message.path("content").path(0).path("text").asText();
        ObjectNode start = message.deepCopy();
        start.putArray("content");
        start.putNull("stop_reason");
        ((ObjectNode) start.path("usage")).put("output_tokens", 1);
        StringBuilder out = new StringBuilder();
        event(out, "message_start", JSON.createObjectNode().put("type", "message_start").set("message", start));
        ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        event(out, "content_block_start", blockStart);
        for (String piece : pieces(text)) {
            ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
            delta.putObject("delta").put("type", "text_delta").put("text", piece);
            event(out, "content_block_delta", delta);
        }
        event(out, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", message.path("usage").path("output_tokens").asInt());
        event(out, "message_delta", messageDelta);
        event(out, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
        return out.toString();
    }

    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 16) {
            pieces.add(text.substring(i, Math.min(text.length(), i + 16)));
        }
        return pieces;
    }

    private static void event(StringBuilder out, String type, JsonNode data) throws IOException {
        out.append("event: ").append(type).append('\n').append("data: ").append(JSON.writeValueAsString(data))
                .append("\n\n");
    }

    /** A message's text: its string content, or its text blocks. */
    private static String text(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(block -> text.append(block.path("text").asText("")));
        return text.toString();
    }

    private static String toolResult(JsonNode message) {
        for (JsonNode block : message.path("content")) {
            if ("tool_result".equals(block.path("type").asText())) {
                JsonNode content = block.path("content");
                return content.isTextual() ? content.asText() : content.path(0).path("text").asText();
            }
        }
        return null;
    }

    /** Half the events, then the exchange fails: the JDK server drops the connection mid-body. */
    private static void sendHalfThenDrop(HttpExchange exchange, String events) throws IOException {
        String[] frames = events.split("\n\n");
        StringBuilder half = new StringBuilder();
        for (int i = 0; i < frames.length / 2; i++) {
            half.append(frames[i]).append("\n\n");
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(half.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        // Time for the client to read what was sent, so that it meets the drop while waiting for more.
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("offline demo: the connection drops halfway through the stream (" + CUT_WORD + ")");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("request-id", "req_offline_demo");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
