package ai.wandb.agent.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback stand-in for a model endpoint that takes {@code delayMillis} to answer every chat completion
 * (the canned one), on enough threads that requests never queue behind each other at the load's rate.
 */
final class SlowOpenAi implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;

    private SlowOpenAi(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    static SlowOpenAi start(long delayMillis) throws IOException {
        // Without it the JDK server's separate header and body writes meet the client's delayed ACK
        // (Nagle): every answer came ~40 ms late, for every variant alike.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        ExecutorService threads = Executors.newFixedThreadPool(64);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, CannedChat.RESPONSE.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(CannedChat.RESPONSE);
            }
        });
        server.start();
        return new SlowOpenAi(server, threads);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
