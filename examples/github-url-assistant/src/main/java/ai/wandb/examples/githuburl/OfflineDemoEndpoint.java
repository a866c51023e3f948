package ai.wandb.examples.githuburl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A loopback, OpenAI-compatible {@code POST /v1/chat/completions} endpoint with canned answers, so
 * the demo runs (and can be traced) without an API key. Its responses have the exact shape of
 * OpenAI's {@code chat.completion} objects and are fully deterministic: the same question always
 * gets the same id, answer and token counts.
 *
 * <p>The canned answer is a GitHub repository search URL built from the key words of the last user
 * message. Two words in the question show the failure paths:
 *
 * <ul>
 *   <li>{@code fail-demo}: the endpoint answers HTTP 500 with OpenAI's error JSON;
 *   <li>{@code bad-url-demo}: the endpoint answers with a text that is not a URL.
 * </ul>
 */
final class OfflineDemoEndpoint implements AutoCloseable {

    private static final String FAIL_WORD = "fail-demo";
    private static final String BAD_URL_WORD = "bad-url-demo";

    private static final String CHAT_COMPLETIONS = "/v1/chat/completions";
    private static final ObjectMapper JSON = new ObjectMapper();
    // "+" and "#" are part of words so that C++ and C# stay searchable.
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}+#]+");
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "the", "and", "or", "of", "for", "with", "in", "on", "to", "that", "which",
            "find", "show", "me", "i", "want", "need", "looking", "search", "please", "some", "any",
            "is", "are", "there", "what", "github", "library", "libraries", "repos", "repositories");
    // Fixed so that runs with and without the agent print and record the same thing.
    private static final long CREATED = 1735689600L;
    private static final String MODEL_SNAPSHOT_SUFFIX = "-2024-07-18";
    private static final String SYSTEM_FINGERPRINT = "fp_0ff1ine0de";

    private final HttpServer server;
    private final ExecutorService executor;

    private OfflineDemoEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the endpoint on 127.0.0.1 and an ephemeral port. */
    static OfflineDemoEndpoint start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Daemon threads: an endpoint someone forgot to close must not keep the JVM alive.
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "offline-demo-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        OfflineDemoEndpoint endpoint = new OfflineDemoEndpoint(server, executor);
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
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(method) || !CHAT_COMPLETIONS.equals(path)) {
                send(exchange, 404,
                        error("Unknown request URL: " + method + " " + path + ".", "invalid_request_error"));
                return;
            }
            JsonNode request;
            try {
                request = JSON.readTree(exchange.getRequestBody());
            } catch (JsonProcessingException e) {
                send(exchange, 400, error("The request body is not valid JSON.", "invalid_request_error"));
                return;
            }
            String question = lastUserMessage(request);
            if (question.contains(FAIL_WORD)) {
                send(exchange, 500, error(
                        "The server had an error while processing your request (the question asked for "
                                + FAIL_WORD + ").",
                        "server_error"));
                return;
            }
            send(exchange, 200, completion(request, question, answer(question)));
        }
    }

    private static String lastUserMessage(JsonNode request) {
        String question = "";
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                question = message.path("content").asText();
            }
        }
        return question;
    }

    private static String answer(String question) {
        if (question.contains(BAD_URL_WORD)) {
            return "Sorry, I can't turn that into a GitHub search.";
        }
        String keywords = words(question)
                .filter(word -> !STOP_WORDS.contains(word))
                .collect(Collectors.joining(" "));
        return "https://github.com/search?q=" + URLEncoder.encode(keywords, StandardCharsets.UTF_8)
                + "&type=repositories";
    }

    private static ObjectNode completion(JsonNode request, String question, String answer) {
        ObjectNode completion = JSON.createObjectNode();
        completion.put("id", "chatcmpl-" + UUID.nameUUIDFromBytes(question.getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", ""));
        completion.put("object", "chat.completion");
        completion.put("created", CREATED);
        completion.put("model", request.path("model").asText() + MODEL_SNAPSHOT_SUFFIX);
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", answer);
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        long promptTokens = 0;
        for (JsonNode prompt : request.path("messages")) {
            promptTokens += estimateTokens(prompt.path("content").asText());
        }
        long completionTokens = estimateTokens(answer);
        ObjectNode usage = completion.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        ObjectNode promptDetails = usage.putObject("prompt_tokens_details");
        promptDetails.put("cached_tokens", 0);
        promptDetails.put("audio_tokens", 0);
        ObjectNode completionDetails = usage.putObject("completion_tokens_details");
        completionDetails.put("reasoning_tokens", 0);
        completionDetails.put("audio_tokens", 0);
        completionDetails.put("accepted_prediction_tokens", 0);
        completionDetails.put("rejected_prediction_tokens", 0);
        completion.put("service_tier", "default");
        completion.put("system_fingerprint", SYSTEM_FINGERPRINT);
        return completion;
    }

    /** Roughly OpenAI's rule of thumb of 3 words per 4 tokens; a URL counts each of its parts. */
    private static long estimateTokens(String text) {
        return Math.round(words(text).count() * 4 / 3.0);
    }

    private static Stream<String> words(String text) {
        return Arrays.stream(NON_WORD.split(text.toLowerCase(Locale.ROOT))).filter(word -> !word.isEmpty());
    }

    private static ObjectNode error(String message, String type) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.putNull("code");
        return body;
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
