package ai.wandb.examples.springai;

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
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback, OpenAI-compatible endpoint in OpenAI's real JSON shapes, deterministic, so the app runs
 * offline: {@code POST /v1/embeddings} (a small keyword vector per text) and {@code POST
 * /v1/chat/completions} (a {@code chat.completion}, or {@code chat.completion.chunk} events for
 * {@code stream: true}, with the usage-only last chunk only when the request asks for it, as OpenAI
 * does). The model asks for {@code orderStatus} and {@code cancelOrder} when a question names an
 * order and tools are offered, and answers with what the tools said once they ran.
 */
final class OfflineOpenAiEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ORDER_ID = Pattern.compile("\\b[A-Z]-\\d+\\b");
    private static final String[] KEYWORDS = {"ship", "cancel", "return", "gift", "order", "day", "expire", "refund"};
    private static final long CREATED = 1735689600L;

    private final HttpServer server;
    private final AtomicInteger sequence = new AtomicInteger();

    private OfflineOpenAiEndpoint(HttpServer server) {
        this.server = server;
    }

    static OfflineOpenAiEndpoint start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        OfflineOpenAiEndpoint endpoint = new OfflineOpenAiEndpoint(server);
        server.createContext("/", endpoint::handle);
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "offline-openai-endpoint");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return endpoint;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            if (path.equals("/v1/embeddings")) {
                send(exchange, "application/json", JSON.writeValueAsString(embeddings(request)));
            } else if (path.equals("/v1/chat/completions")) {
                chat(exchange, request);
            } else {
                byte[] body = ("{\"error\":{\"message\":\"Unknown request URL: " + path
                        + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }

    private static ObjectNode embeddings(JsonNode request) {
        List<String> texts = new ArrayList<>();
        JsonNode input = request.path("input");
        if (input.isArray()) {
            input.forEach(text -> texts.add(text.asText()));
        } else {
            texts.add(input.asText());
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i).toLowerCase(Locale.ROOT);
            tokens += tokens(text);
            ObjectNode embedding = data.addObject();
            embedding.put("object", "embedding");
            embedding.put("index", i);
            ArrayNode vector = embedding.putArray("embedding");
            for (String keyword : KEYWORDS) {
                vector.add(0.05 + text.split(keyword, -1).length - 1);
            }
        }
        out.put("model", request.path("model").asText("text-embedding-3-small"));
        ObjectNode usage = out.putObject("usage");
        usage.put("prompt_tokens", tokens);
        usage.put("total_tokens", tokens);
        return out;
    }

    private void chat(HttpExchange exchange, JsonNode request) throws IOException {
        ObjectNode message = reply(request);
        String id = "chatcmpl-offline" + sequence.incrementAndGet();
        long promptTokens = 0;
        for (JsonNode prompt : request.path("messages")) {
            promptTokens += tokens(prompt.path("content").asText(""));
        }
        long completionTokens = tokens(message.path("content").asText("")) + 12L * message.path("tool_calls").size();
        String finishReason = message.has("tool_calls") ? "tool_calls" : "stop";
        ObjectNode usage = JSON.createObjectNode();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        String model = request.path("model").asText() + "-2024-07-18";
        if (request.path("stream").asBoolean(false)) {
            boolean withUsage = request.path("stream_options").path("include_usage").asBoolean(false);
            send(exchange, "text/event-stream", stream(id, model, message, finishReason, withUsage ? usage : null));
            return;
        }
        ObjectNode completion = header(id, model, "chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        completion.set("usage", usage);
        send(exchange, "application/json", JSON.writeValueAsString(completion));
    }

    /** Tool calls for a question about an order while tools are offered; an answer from the tool results after them. */
    private static ObjectNode reply(JsonNode request) {
        JsonNode messages = request.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        ObjectNode message = JSON.createObjectNode();
        message.put("role", "assistant");
        if ("tool".equals(last.path("role").asText())) {
            List<String> results = new ArrayList<>();
            for (int i = messages.size() - 1; i >= 0 && "tool".equals(messages.get(i).path("role").asText()); i--) {
                results.add(0, messages.get(i).path("content").asText());
            }
            message.put("content", "Here is what I found: " + String.join(" ", results));
            return message;
        }
        Matcher order = ORDER_ID.matcher(last.path("content").asText(""));
        if (request.has("tools") && order.find()) {
            message.putNull("content");
            ArrayNode calls = message.putArray("tool_calls");
            call(calls, "call_" + order.group() + "_status", "orderStatus", order.group());
            call(calls, "call_" + order.group() + "_cancel", "cancelOrder", order.group());
            return message;
        }
        message.put("content", "How can I help you with your order?");
        return message;
    }

    private static void call(ArrayNode calls, String id, String tool, String orderId) {
        ObjectNode call = calls.addObject();
        call.put("id", id);
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", tool);
        function.put("arguments", "{\"orderId\":\"" + orderId + "\"}");
    }

    private static String stream(String id, String model, ObjectNode message, String finishReason, ObjectNode usage)
            throws IOException {
        StringBuilder events = new StringBuilder();
        ObjectNode first = JSON.createObjectNode();
        first.put("role", "assistant");
        first.put("content", "");
        event(events, chunk(id, model, first, null));
        if (message.has("tool_calls")) {
            int index = 0;
            for (JsonNode call : message.path("tool_calls")) {
                ObjectNode delta = JSON.createObjectNode();
                ObjectNode toolCall = delta.putArray("tool_calls").addObject();
                toolCall.put("index", index++);
                toolCall.put("id", call.path("id").asText());
                toolCall.put("type", "function");
                toolCall.set("function", call.path("function"));
                event(events, chunk(id, model, delta, null));
            }
        } else {
            for (String word : message.path("content").asText().split("(?<= )")) {
                ObjectNode delta = JSON.createObjectNode();
                delta.put("content", word);
                event(events, chunk(id, model, delta, null));
            }
        }
        event(events, chunk(id, model, JSON.createObjectNode(), finishReason));
        if (usage != null) {
            ObjectNode last = header(id, model, "chat.completion.chunk");
            last.putArray("choices");
            last.set("usage", usage);
            event(events, last);
        }
        events.append("data: [DONE]\n\n");
        return events.toString();
    }

    private static ObjectNode chunk(String id, String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = header(id, model, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return chunk;
    }

    private static ObjectNode header(String id, String model, String object) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("object", object);
        node.put("created", CREATED);
        node.put("model", model);
        node.put("system_fingerprint", "fp_0ff1ine0de");
        return node;
    }

    private static void event(StringBuilder events, ObjectNode data) throws IOException {
        events.append("data: ").append(JSON.writeValueAsString(data)).append("\n\n");
    }

    private static long tokens(String text) {
        return text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }

    private static void send(HttpExchange exchange, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
