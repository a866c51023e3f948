package ai.wandb.agent.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP collector on loopback that reads each export request and answers 200 with an empty
 * {@code ExportTraceServiceResponse} (zero bytes of protobuf), keeping nothing, so the exporter's
 * throughput is not bounded by a test server's bookkeeping. It counts the requests and bytes it read,
 * so that a sink that sent nothing cannot look fast.
 */
final class DiscardingCollector implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();

    private DiscardingCollector(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    static DiscardingCollector start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        server.setExecutor(threads);
        DiscardingCollector collector = new DiscardingCollector(server, threads);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                collector.bytes.addAndGet(in.readAllBytes().length);
            }
            collector.requests.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return collector;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        // Its threads are not daemons: left running, they kept benchmarks/run from exiting after the table.
        threads.shutdownNow();
    }
}
