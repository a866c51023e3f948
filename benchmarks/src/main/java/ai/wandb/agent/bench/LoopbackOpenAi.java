package ai.wandb.agent.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/** An OpenAI-compatible endpoint on 127.0.0.1 that answers every chat completion with the canned one. */
final class LoopbackOpenAi implements AutoCloseable {
    private final HttpServer server;

    private LoopbackOpenAi(HttpServer server) {
        this.server = server;
    }

    static LoopbackOpenAi start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, CannedChat.RESPONSE.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(CannedChat.RESPONSE);
            }
        });
        server.start();
        return new LoopbackOpenAi(server);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
