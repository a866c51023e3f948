package ai.wandb.agent.bench;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One child JVM (with or without the agent): embedded Jetty 12 serving {@code GET /health}, which makes no
 * model call, and a keep-alive client on loopback timing {@code <measured>} sequential requests after
 * {@code <warm-up>}: {@code NonGenAiRequests <warm-up> <measured>}. Prints one {@code RESULT} line with the
 * round-trip percentiles in microseconds, and the median and mean time of the servlet's {@code service} call
 * (where the agent's hook runs) measured on the server thread by a filter.
 */
public final class NonGenAiRequests {
    private NonGenAiRequests() {}

    /** What a load balancer polls. */
    static final class HealthServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("ok");
        }
    }

    /** Times the servlet's service call on the server thread, where the agent's hook runs, without the network. */
    static final class Timing implements Filter {
        static long[] nanos = new long[0];
        static int count;

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            long start = System.nanoTime();
            chain.doFilter(request, response);
            long took = System.nanoTime() - start;
            synchronized (Timing.class) {
                if (count < nanos.length) {
                    nanos[count++] = took;
                }
            }
        }

        static synchronized void reset(int size) {
            nanos = new long[size];
            count = 0;
        }
    }

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[0]);
        int measured = Integer.parseInt(args[1]);
        Server server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HealthServlet()), "/health");
        context.addFilter(new FilterHolder(new Timing()), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
        for (int i = 0; i < warmup; i++) {
            client.send(request, HttpResponse.BodyHandlers.discarding());
        }
        Timing.reset(measured);
        long[] nanos = new long[measured];
        for (int i = 0; i < measured; i++) {
            long start = System.nanoTime();
            client.send(request, HttpResponse.BodyHandlers.discarding());
            nanos[i] = System.nanoTime() - start;
        }
        server.stop();
        Arrays.sort(nanos);
        long[] service;
        synchronized (Timing.class) {
            service = Arrays.copyOf(Timing.nanos, Timing.count);
        }
        Arrays.sort(service);
        System.out.printf("RESULT p50_us=%.1f p90_us=%.1f p99_us=%.1f mean_us=%.1f service_p50_us=%.2f"
                + " service_mean_us=%.2f%n", nanos[measured / 2] / 1e3,
                nanos[measured * 9 / 10] / 1e3, nanos[measured * 99 / 100] / 1e3,
                Arrays.stream(nanos).average().orElse(0) / 1e3, service[service.length / 2] / 1e3,
                Arrays.stream(service).average().orElse(0) / 1e3);
    }
}
