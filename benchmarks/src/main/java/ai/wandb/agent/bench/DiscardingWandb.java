package ai.wandb.agent.bench;

import ai.wandb.agent.api.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W&B on loopback for the exporter benchmark: the routes the Weave and run sinks call, answered in the
 * shapes they read ({@code reference/wandb-run-api.md} 2-3, {@code weave-api.md} 3.4 and 3.7), each
 * body read and counted, then dropped. The test servers' {@code WandbTestServer} keeps and checks
 * every request, which is what tests need and what 20,000 spans/s of 3 KB each cannot go through for
 * long (its parsing would also take the cores the exporter is measured on). So the Weave batches are
 * not parsed: their items are counted by the exact prefix the agent's JSON writer gives each one
 * (no spaces), and the starts' ids copied into the answer; the history lines of a {@code file_stream}
 * body are counted the same way. GraphQL bodies (a few per run) are parsed, to answer with the run's
 * own names.
 */
final class DiscardingWandb implements AutoCloseable {
    /** A well-formed key: 40 characters after the prefix. */
    static final String API_KEY = "local-0123456789abcdef0123456789abcdef01234567";
    static final String ENTITY = "bench-entity";

    /** How the agent's writer begins every batch item; {@code mode} is its first key. */
    private static final String ITEM = "{\"mode\":\"";
    private static final String START_ITEM = "start\",\"req\":{\"start\":{";
    private static final String END_ITEM = "end\",\"req\":{\"end\":{";
    private static final String ID = "\"id\":\"";
    private static final String TRACE_ID = "\"trace_id\":\"";
    private static final String HISTORY = "\"wandb-history.jsonl\":{";
    private static final String CONTENT = "\"content\":[";
    private static final String AUTHORIZATION = "Basic "
            + Base64.getEncoder().encodeToString(("api:" + API_KEY).getBytes(StandardCharsets.UTF_8));

    private final HttpServer server;
    private final ExecutorService executor;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong callStarts = new AtomicLong();
    final AtomicLong callEnds = new AtomicLong();
    final AtomicLong historyRows = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    /** The read buffers' bytes, which the benchmark takes off the live heap it reports. */
    final AtomicLong bufferBytes = new AtomicLong();
    /** Per handler thread, so that a 10 MiB body is not a new 10 MiB array each time. */
    private final ThreadLocal<byte[][]> buffers = ThreadLocal.withInitial(() -> {
        bufferBytes.addAndGet(1 << 20);
        return new byte[][] {new byte[1 << 20]};
    });

    private DiscardingWandb(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static DiscardingWandb start() throws IOException {
        // TCP_NODELAY on the accepted sockets, as W&B's own servers set it: without it the JDK server's
        // response (headers, then body, two writes) waits for the client's delayed ACK, 40 ms a request
        // whatever its size (a 4 KB POST took 48 ms, a 376 KB one 12-17 ms with it, load 12); the Weave
        // row then measured this server's idle waits, not the sink. Read once, when the JDK server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "discarding-wandb");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        DiscardingWandb wandb = new DiscardingWandb(server, executor);
        server.createContext("/", wandb::handle);
        server.start();
        return wandb;
    }

    /** {@code WANDB_BASE_URL}; the trace server is then {@code <base>/traces}, as for a self-hosted W&B. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            route(exchange);
        } catch (IOException | RuntimeException e) {
            // The JDK server resets the connection without a word; the agent would only say "unreachable".
            System.err.println("DiscardingWandb: " + exchange.getRequestURI() + ": " + e);
            throw e;
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        int length = read(exchange.getRequestBody());
        byte[] body = buffers.get()[0];
        requests.incrementAndGet();
        bytes.addAndGet(length);
        if (!AUTHORIZATION.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            refused.incrementAndGet();
            answer(exchange, 401, "{\"errors\":[{\"message\":\"authentication required\"}]}");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/graphql")) {
            answer(exchange, 200, graphql(new String(body, 0, length, StandardCharsets.UTF_8)));
        } else if (path.equals("/traces/call/upsert_batch")) {
            answer(exchange, 200, upsertBatch(body, length));
        } else if (path.startsWith("/traces/v2/") && path.endsWith("/ops")) {
            answer(exchange, 200, "{\"digest\":\"" + digest(body, length) + "\"}");
        } else if (path.startsWith("/files/") && path.endsWith("/file_stream")) {
            historyRows.addAndGet(historyLines(body, length));
            answer(exchange, 200, "{}");
        } else {
            refused.incrementAndGet();
            answer(exchange, 404, "{\"reason\":\"no route " + path + "\"}");
        }
    }

    /** Reads the whole body into this thread's buffer, growing it as needed; returns the length. */
    private int read(InputStream in) throws IOException {
        byte[][] holder = buffers.get();
        int length = 0;
        while (true) {
            if (length == holder[0].length) {
                bufferBytes.addAndGet(holder[0].length);
                holder[0] = java.util.Arrays.copyOf(holder[0], holder[0].length * 2);
            }
            int n = in.read(holder[0], length, holder[0].length - length);
            if (n < 0) {
                return length;
            }
            length += n;
        }
    }

    /** Viewer, UpsertBucket and UpsertModel, answered with the names they were asked for. */
    private static String graphql(String text) throws IOException {
        Map<String, Object> request = Json.parseObject(text);
        String operation = String.valueOf(request.get("operationName"));
        Map<?, ?> variables = request.get("variables") instanceof Map ? (Map<?, ?>) request.get("variables") : Map.of();
        switch (operation) {
            case "Viewer":
                return "{\"data\":{\"viewer\":{\"id\":\"VXNlcjox\",\"entity\":\"" + ENTITY + "\",\"username\":\""
                        + ENTITY + "\",\"email\":null,\"flags\":\"{}\",\"teams\":{\"edges\":[]}}}}";
            case "UpsertBucket":
                String entity = variables.get("entity") == null ? ENTITY : (String) variables.get("entity");
                String project = variables.get("project") == null ? "uncategorized" : (String) variables.get("project");
                return "{\"data\":{\"upsertBucket\":{\"bucket\":{\"id\":\"UnVuOnYxOmJlbmNo\",\"name\":"
                        + Json.write(variables.get("name")) + ",\"displayName\":\"bench-run\",\"description\":null,"
                        + "\"config\":null,\"sweepName\":null,\"project\":{\"id\":\"UHJvamVjdDox\",\"name\":"
                        + Json.write(project) + ",\"entity\":{\"id\":\"RW50aXR5OjE=\",\"name\":" + Json.write(entity)
                        + "}},\"historyLineCount\":0},\"inserted\":true}}}";
            case "UpsertModel":
                return "{\"data\":{\"upsertModel\":{\"model\":{\"name\":" + Json.write(variables.get("name"))
                        + ",\"description\":null}}}}";
            default:
                return "{\"errors\":[{\"message\":\"unknown operation " + operation + "\"}],\"data\":null}";
        }
    }

    /**
     * {@code {"res": [...]}}: one element per item, in order, a start's id and trace id, an end's {}. The
     * body is searched as a Latin-1 string (a char a byte) with String.indexOf, which is vectorized: a
     * loop over the bytes was a tenth of the Weave row's samples, on the cores the exporter is measured on.
     */
    private String upsertBatch(byte[] body, int length) {
        String text = new String(body, 0, length, StandardCharsets.ISO_8859_1);
        StringBuilder res = new StringBuilder("{\"res\":[");
        long starts = 0;
        long ends = 0;
        for (int at = text.indexOf(ITEM); at >= 0; at = text.indexOf(ITEM, at)) {
            at += ITEM.length();
            if (text.startsWith(START_ITEM, at)) {
                at += START_ITEM.length();
                res.append(starts + ends > 0 ? "," : "").append("{\"id\":\"").append(stringAfter(text, ID, at))
                        .append("\",\"trace_id\":\"").append(stringAfter(text, TRACE_ID, at)).append("\"}");
                starts++;
            } else if (text.startsWith(END_ITEM, at)) {
                res.append(starts + ends > 0 ? "," : "").append("{}");
                ends++;
            }
        }
        callStarts.addAndGet(starts);
        callEnds.addAndGet(ends);
        return res.append("]}").toString();
    }

    /**
     * The lines of {@code wandb-history.jsonl} in a file_stream body: the strings of its content array,
     * each closed by the first quote after it that no odd run of backslashes escapes (searched as in
     * {@link #upsertBatch}).
     */
    private static long historyLines(byte[] body, int length) {
        String text = new String(body, 0, length, StandardCharsets.ISO_8859_1);
        int history = text.indexOf(HISTORY);
        int at = history < 0 ? -1 : text.indexOf(CONTENT, history);
        if (at < 0) {
            return 0;
        }
        long lines = 0;
        at += CONTENT.length();
        while (at < text.length() && text.charAt(at) == '"') {
            lines++;
            int close = text.indexOf('"', at + 1);
            while (close > 0 && escaped(text, close)) {
                close = text.indexOf('"', close + 1);
            }
            if (close < 0) {
                break;
            }
            at = close + 1;
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
            }
        }
        return lines;
    }

    /** Whether the quote at {@code quote} is escaped: an odd number of backslashes before it. */
    private static boolean escaped(String text, int quote) {
        int backslashes = 0;
        for (int i = quote - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** The JSON string value that follows the first {@code key} at or after {@code from} (ids hold no escapes). */
    private static String stringAfter(String text, String key, int from) {
        int value = text.indexOf(key, from);
        if (value < 0) {
            return "";
        }
        value += key.length();
        int close = text.indexOf('"', value);
        return text.substring(value, close < 0 ? text.length() : close);
    }

    /** Weave's digest form: SHA-256, URL-safe base64 without padding, {@code -} as X and {@code _} as Y. */
    private static String digest(byte[] body, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(body, 0, length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest()).replace('-', 'X').replace('_', 'Y');
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] out = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream response = exchange.getResponseBody()) {
            response.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
