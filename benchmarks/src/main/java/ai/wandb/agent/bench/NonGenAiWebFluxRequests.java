package ai.wandb.agent.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * {@link NonGenAiRequests} for Spring WebFlux on Reactor Netty: {@code GET /health} (no model call), a
 * keep-alive client on loopback, and on the server the time from WebFlux's {@code HttpWebHandlerAdapter.handle}
 * (where the agent's hook runs) to the end of the Mono that writes the response (where the span ends).
 * Same arguments and {@code RESULT} line; its {@code service_*} figures are that handle-to-written time.
 */
public final class NonGenAiWebFluxRequests {
    private NonGenAiWebFluxRequests() {}

    private static long[] nanos = new long[0];
    private static int count;

    private static synchronized void record(long took) {
        if (count < nanos.length) {
            nanos[count++] = took;
        }
    }

    private static synchronized void reset(int size) {
        nanos = new long[size];
        count = 0;
    }

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[0]);
        int measured = Integer.parseInt(args[1]);
        HttpHandler webFlux = RouterFunctions.toHttpHandler(RouterFunctions.route(RequestPredicates.GET("/health"),
                request -> ServerResponse.ok().bodyValue("ok")));
        HttpHandler timed = (request, response) -> {
            long start = System.nanoTime();
            return webFlux.handle(request, response).doFinally(signal -> record(System.nanoTime() - start));
        };
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .handle(new ReactorHttpHandlerAdapter(timed)).bindNow();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build();
        for (int i = 0; i < warmup; i++) {
            client.send(request, HttpResponse.BodyHandlers.discarding());
        }
        reset(measured);
        long[] roundTrips = new long[measured];
        for (int i = 0; i < measured; i++) {
            long start = System.nanoTime();
            client.send(request, HttpResponse.BodyHandlers.discarding());
            roundTrips[i] = System.nanoTime() - start;
        }
        server.disposeNow();
        Arrays.sort(roundTrips);
        long[] handled;
        synchronized (NonGenAiWebFluxRequests.class) {
            handled = Arrays.copyOf(nanos, count);
        }
        Arrays.sort(handled);
        System.out.printf("RESULT p50_us=%.1f p90_us=%.1f p99_us=%.1f mean_us=%.1f service_p50_us=%.2f"
                + " service_mean_us=%.2f%n", roundTrips[measured / 2] / 1e3,
                roundTrips[measured * 9 / 10] / 1e3, roundTrips[measured * 99 / 100] / 1e3,
                Arrays.stream(roundTrips).average().orElse(0) / 1e3, handled[handled.length / 2] / 1e3,
                Arrays.stream(handled).average().orElse(0) / 1e3);
    }
}
