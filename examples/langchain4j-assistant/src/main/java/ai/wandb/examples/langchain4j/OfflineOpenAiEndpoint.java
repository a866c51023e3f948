package ai.wandb.examples.langchain4j;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback, OpenAI-compatible {@code POST /v1/chat/completions} endpoint that plays a tool-using
 * model, in OpenAI's real JSON shapes (a {@code chat.completion}, or {@code chat.completion.chunk}
 * server-sent events when the request says {@code stream: true}), deterministically:
 *
 * <ul>
 *   <li>a user question naming an order (e.g. {@code A-17}) while tools are offered: the model asks to
 *       call {@code orderStatus} and {@code cancelOrder} for it;
 *   <li>tool results as the last messages: the model answers with what the tools said.
 * </ul>
 */
final class OfflineOpenAiEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ORDER_ID = Pattern.compile("\\b[A-Z]-\\d+\\b");
    private static final long CREATED = 1735689600L;

    private final HttpServer server;
    private final ExecutorService executor;
    private int sequence;

    private OfflineOpenAiEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static OfflineOpenAiEndpoint start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "offline-openai-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        OfflineOpenAiEndpoint endpoint = new OfflineOpenAiEndpoint(server, executor);
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

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
            if (!"POST".equals(exchange.getRequestMethod())
                    || !"/v1/chat/completions".equals(exchange.getRequestURI().getPath())) {
                send(exchange, 404, "application/json", "{\"error\":{\"message\":\"Unknown request URL: "
                        + exchange.getRequestURI().getPath() + "\",\"type\":\"invalid_request_error\",\"param\":null,"
                        + "\"code\":null}}");
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            ObjectNode message = reply(request);
            String id = "chatcmpl-offline" + nextSequence();
            long promptTokens = 0;
            for (JsonNode prompt : request.path("messages")) {
                promptTokens += tokens(prompt.path("content").asText(""));
            }
            long completionTokens = tokens(message.path("content").asText("")) + 12L * message.path("tool_calls").size();
            String finishReason = message.has("tool_calls") ? "tool_calls" : "stop";
            ObjectNode usage = usage(promptTokens, completionTokens);
            String model = request.path("model").asText() + "-2024-07-18";
            if (request.path("stream").asBoolean(false)) {
                send(exchange, 200, "text/event-stream", stream(id, model, message, finishReason, usage));
            } else {
                send(exchange, 200, "application/json", JSON.writeValueAsString(
                        completion(id, model, message, finishReason, usage)));
            }
        }
    }

    private synchronized int nextSequence() {
        return ++sequence;
    }

    /** The assistant message the model would send: tool calls for a new question, an answer after tools. */
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

    private static ObjectNode completion(String id, String model, ObjectNode message, String finishReason,
            ObjectNode usage) {
        ObjectNode completion = header(id, model, "chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        message.putNull("refusal");
        message.putArray("annotations");
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        completion.set("usage", usage);
        return completion;
    }

    /** The same reply as OpenAI streams it: role, content words or tool calls, finish, usage, [DONE]. */
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
        ObjectNode last = header(id, model, "chat.completion.chunk");
        last.putArray("choices");
        last.set("usage", usage);
        event(events, last);
        events.append("data: [DONE]\n\n");
        return events.toString();
    }

    private static ObjectNode chunk(String id, String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = header(id, model, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        chunk.putNull("usage");
        return chunk;
    }

    private static ObjectNode header(String id, String model, String object) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("object", object);
        node.put("created", CREATED);
        node.put("model", model);
        node.put("service_tier", "default");
        node.put("system_fingerprint", "fp_0ff1ine0de");
        return node;
    }

    private static void event(StringBuilder events, ObjectNode data) throws IOException {
        events.append("data: ").append(JSON.writeValueAsString(data)).append("\n\n");
    }

    private static ObjectNode usage(long promptTokens, long completionTokens) {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        return usage;
    }

    /** Roughly OpenAI's rule of thumb of 3 words per 4 tokens. */
    private static long tokens(String text) {
        return Math.round(text.split("\\s+").length * 4 / 3.0);
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
