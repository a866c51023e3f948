package ai.wandb.agent.testing.otlp;

import ai.wandb.agent.testing.wandb.Fault;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * An OTLP/HTTP collector on loopback ({@code POST /v1/traces}): decodes every request with the official
 * protobuf definitions ({@link OtlpRequests}), answers 400 to what a collector would refuse, and keeps
 * what it took. Faults ({@link Fault}: a status with {@code Retry-After}, a delay, a dropped connection)
 * and partial successes are injected per request; {@link #start(int)} on a port nobody listens on yet
 * lets a test begin with "connection refused".
 */
public final class OtlpReceiver implements AutoCloseable {
  /** One request as it arrived (lower-case headers), its decoded body (null when refused) and the answer. */
  public record Received(Map<String, String> headers, ExportTraceServiceRequest request, int status) {}

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private long outageUntilNanos;
  private Fault outage;
  private long rejectNext;
  private String rejectMessage;

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  public static OtlpReceiver start() {
    return start(0);
  }

  public static OtlpReceiver start(int port) {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      OtlpReceiver receiver = new OtlpReceiver(http);
      http.createContext("/", receiver::handle);
      http.setExecutor(Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "otlp-receiver");
        thread.setDaemon(true);
        return thread;
      }));
      http.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Queues faults for the next requests, one each. */
  public synchronized OtlpReceiver failNext(Fault... next) {
    faults.addAll(List.of(next));
    return this;
  }

  /** Answers every request with {@code fault} for {@code millis} (a collector outage). */
  public synchronized OtlpReceiver failFor(Fault fault, long millis) {
    outage = fault;
    outageUntilNanos = System.nanoTime() + millis * 1_000_000L;
    return this;
  }

  public synchronized OtlpReceiver recover() {
    outage = null;
    return this;
  }

  /** The next accepted request is answered with {@code partial_success} rejecting {@code spans}. */
  public synchronized OtlpReceiver rejectInNextAnswer(long spans, String message) {
    rejectNext = spans;
    rejectMessage = message;
    return this;
  }

  public synchronized List<Received> received() {
    return new ArrayList<>(received);
  }

  /** Every span of every accepted request, in arrival order. */
  public synchronized List<ReceivedSpan> spans() {
    List<ReceivedSpan> out = new ArrayList<>();
    for (Received request : received) {
      if (request.request() != null && request.status() == 200) {
        out.addAll(OtlpRequests.spans(request.request()));
      }
    }
    return out;
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
        String.join(",", values)));
    Fault fault;
    long reject = 0;
    String message = null;
    synchronized (this) {
      fault = faults.pollFirst();
      if (fault == null && outage != null && System.nanoTime() - outageUntilNanos < 0) {
        fault = outage;
      }
    }
    if (fault != null && fault.delayMillis() > 0) {
      try {
        Thread.sleep(fault.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (fault != null && fault.drop()) {
      record(headers, null, -1);
      exchange.close();
      return;
    }
    if (fault != null && fault.status() != 0) {
      record(headers, null, fault.status());
      fault.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      answer(exchange, fault.status(), "application/json", fault.body().getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/v1/traces")) {
      record(headers, null, 404);
      answer(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
      return;
    }
    ExportTraceServiceRequest request;
    try {
      request = OtlpRequests.decode(headers, body);
    } catch (IllegalArgumentException e) {
      record(headers, null, 400);
      answer(exchange, 400, "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8));
      return;
    }
    synchronized (this) {
      reject = rejectNext;
      message = rejectMessage;
      rejectNext = 0;
    }
    record(headers, request, 200);
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (reject > 0) {
      response.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(reject)
          .setErrorMessage(message));
    }
    answer(exchange, 200, "application/x-protobuf", response.build().toByteArray());
  }

  private synchronized void record(Map<String, String> headers, ExportTraceServiceRequest request, int status) {
    received.add(new Received(headers, request, status));
  }

  private static void answer(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
