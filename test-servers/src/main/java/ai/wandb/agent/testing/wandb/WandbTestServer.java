package ai.wandb.agent.testing.wandb;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A W&B-compatible server on loopback, strict like the real one, built from
 * {@code reference/wandb-run-api.md} and {@code reference/weave-api.md}: the W&B API
 * ({@code /graphql}, {@code /files/<entity>/<project>/<run>/file_stream}) at {@link #apiUrl()} and
 * the Weave trace server at {@link #traceUrl()} (the self-hosted {@code <base>/traces} form). Every
 * request needs Basic auth with user {@code api} and the configured key. Tests read back what was
 * stored and can inject faults per API.
 */
public final class WandbTestServer implements AutoCloseable {
  /** A well-formed W&B key (40 characters after the optional prefix). */
  public static final String API_KEY = "local-0123456789abcdef0123456789abcdef01234567";

  /** The three APIs a fault can target. */
  public enum Api { GRAPHQL, FILE_STREAM, WEAVE }

  private static final Pattern FILE_STREAM = Pattern.compile("/files/([^/]+)/([^/]+)/([^/]+)/file_stream");

  final Map<String, RecordedRun> runs = new LinkedHashMap<>();
  final Set<String> projects = new HashSet<>();
  final Map<String, WeaveCall> calls = new LinkedHashMap<>();
  /** Op objects by {@code <entity>/<project>/<name>:<digest>}, with how many times each was created. */
  final Map<String, java.util.concurrent.atomic.AtomicInteger> ops = new LinkedHashMap<>();
  private final HttpServer server;
  private final GraphqlApi graphql = new GraphqlApi(this);
  private final FileStreamApi fileStream = new FileStreamApi(this);
  private final WeaveApi weave = new WeaveApi(this);
  private final WeaveOtlpApi weaveOtlp = new WeaveOtlpApi();
  private final Map<Api, Deque<Fault>> faults = new EnumMap<>(Api.class);
  private final Map<Api, Outage> outages = new EnumMap<>(Api.class);
  private final List<Exchange> exchanges = new ArrayList<>();
  private final Map<String, Integer> batches = new ConcurrentHashMap<>();
  private volatile String viewerEntity = "test-entity";
  private volatile boolean callsCompleteRequired;
  private volatile boolean requireExistingProjects = true;
  private volatile boolean stopEveryRun;
  private volatile int weaveBodyLimit = 32 << 20;

  private WandbTestServer(HttpServer server) {
    this.server = server;
  }

  public static WandbTestServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WandbTestServer testServer = new WandbTestServer(http);
      http.createContext("/", testServer::handle);
      http.setExecutor(Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "wandb-test-server");
        thread.setDaemon(true);
        return thread;
      }));
      http.start();
      return testServer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For {@code WANDB_BASE_URL}. */
  public String apiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** For {@code WF_TRACE_SERVER_URL}. */
  public String traceUrl() {
    return apiUrl() + "/traces";
  }

  /** The entity the Viewer query names as the key's default, and that a null entity resolves to. */
  public WandbTestServer viewerEntity(String entity) {
    this.viewerEntity = entity;
    return this;
  }

  /** From now on {@code /call/upsert_batch} answers 400 {@code CALLS_COMPLETE_MODE_REQUIRED}. */
  public WandbTestServer requireCallsComplete() {
    this.callsCompleteRequired = true;
    return this;
  }

  /** As if someone pressed every run's Stop button at once: file_stream answers {@code "stopped": true}. */
  public WandbTestServer stopEveryRun() {
    this.stopEveryRun = true;
    return this;
  }

  boolean stopsEveryRun() {
    return stopEveryRun;
  }

  /** Whether Weave writes into a project that was never created are refused with 404 (default true). */
  public WandbTestServer requireExistingProjects(boolean require) {
    this.requireExistingProjects = require;
    return this;
  }

  /** The trace server's body limit (32 MiB like the real one); smaller to exercise 413 splitting. */
  public WandbTestServer weaveBodyLimit(int bytes) {
    this.weaveBodyLimit = bytes;
    return this;
  }

  /** Queues faults for the next requests to {@code api}, one request each, in order. */
  public synchronized WandbTestServer failNext(Api api, Fault... next) {
    Deque<Fault> queue = faults.computeIfAbsent(api, a -> new ArrayDeque<>());
    queue.addAll(List.of(next));
    return this;
  }

  /**
   * Answers every request to {@code api} with {@code fault} for the next {@code millis} (a W&B outage);
   * faults queued by {@link #failNext} come first.
   */
  public synchronized WandbTestServer failFor(Api api, Fault fault, long millis) {
    outages.put(api, new Outage(fault, System.nanoTime() + millis * 1_000_000L));
    return this;
  }

  /** Ends every outage now. */
  public synchronized WandbTestServer recover() {
    outages.clear();
    return this;
  }

  public synchronized List<RecordedRun> runs() {
    return new ArrayList<>(runs.values());
  }

  /** History rows per trace id over every run ({@link RecordedRun#historyRowsPerTrace}). */
  public synchronized Map<String, Integer> historyRowsPerTrace() {
    Map<String, Integer> out = new TreeMap<>();
    for (RecordedRun run : runs.values()) {
      run.historyRowsPerTrace().forEach((trace, rows) -> out.merge(trace, rows, Integer::sum));
    }
    return out;
  }

  public synchronized List<WeaveCall> calls() {
    return new ArrayList<>(calls.values());
  }

  /** The spans taken by the trace server's OTLP endpoint, {@code <trace url>/otel/v1/traces}. */
  public List<WeaveOtelSpan> otelSpans() {
    return weaveOtlp.spans();
  }

  /** The op objects created, as {@code <entity>/<project>/<name>:<digest>} with how many creates each had. */
  public synchronized Map<String, Integer> ops() {
    Map<String, Integer> out = new LinkedHashMap<>();
    ops.forEach((key, count) -> out.put(key, count.get()));
    return out;
  }

  /**
   * Whether {@code opName} is an op ref {@code weave:///<entity>/<project>/op/<name>:<digest>} to an op
   * object this server holds, as the Ops page needs.
   */
  public synchronized boolean isOpRef(String opName) {
    String prefix = "weave:///";
    if (opName == null || !opName.startsWith(prefix)) {
      return false;
    }
    String[] parts = opName.substring(prefix.length()).split("/", -1);
    return parts.length == 4 && parts[2].equals("op") && ops.containsKey(parts[0] + "/" + parts[1] + "/" + parts[3]);
  }

  public synchronized Set<String> projects() {
    return new HashSet<>(projects);
  }

  /** Every request with its answer status, in arrival order. */
  public synchronized List<Exchange> exchanges() {
    return new ArrayList<>(exchanges);
  }

  /** How many accepted batches went to {@code upsert_batch} or {@code calls_complete}. */
  public int batches(String endpoint) {
    return batches.getOrDefault(endpoint, 0);
  }

  String viewerEntity() {
    return viewerEntity;
  }

  boolean callsCompleteRequired() {
    return callsCompleteRequired;
  }

  boolean requireExistingProjects() {
    return requireExistingProjects;
  }

  synchronized boolean hasProject(String projectId) {
    return projects.contains(projectId);
  }

  int weaveBodyLimit() {
    return weaveBodyLimit;
  }

  void countBatch(String endpoint) {
    batches.merge(endpoint, 1, Integer::sum);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    Api api = path.equals("/graphql") ? Api.GRAPHQL
        : path.startsWith("/traces/") ? Api.WEAVE
        : FILE_STREAM.matcher(path).matches() ? Api.FILE_STREAM : null;
    Fault fault = null;
    if (api != null) {
      synchronized (this) {
        Deque<Fault> queue = faults.get(api);
        fault = queue == null ? null : queue.pollFirst();
        Outage outage = outages.get(api);
        if (fault == null && outage != null && System.nanoTime() - outage.untilNanos < 0) {
          fault = outage.fault;
        }
      }
    }
    int status;
    String answer;
    Map<String, String> headers = Map.of();
    if (fault != null && fault.delayMillis() > 0) {
      sleep(fault.delayMillis());
    }
    if (fault != null && fault.drop()) {
      record(method, path, exchange, body, -1);
      exchange.close();
      return;
    }
    if (fault != null && fault.answersItself()) {
      status = fault.status();
      answer = fault.body();
      headers = fault.headers();
    } else {
      try {
        checkAuth(exchange.getRequestHeaders().getFirst("Authorization"));
        answer = path.equals("/traces/otel/v1/traces")
            ? weaveOtlp.handle(method, lowerCaseHeaders(exchange), body)
            : route(api, method, path, body);
        status = 200;
      } catch (Rejection rejection) {
        status = rejection.status;
        answer = rejection.body;
      } catch (RuntimeException e) {
        status = 500;
        answer = "{\"reason\":\"Internal server error\"}";
      }
    }
    record(method, path, exchange, body, status);
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private String route(Api api, String method, String path, byte[] body) {
    if (api == Api.GRAPHQL && method.equals("POST")) {
      return graphql.handle(parseGraphql(body));
    }
    if (api == Api.FILE_STREAM && method.equals("POST")) {
      Matcher matcher = FILE_STREAM.matcher(path);
      matcher.matches();
      return fileStream.handle(matcher.group(1), matcher.group(2), matcher.group(3), body);
    }
    if (api == Api.WEAVE) {
      return weave.handle(method, path.substring("/traces".length()), body);
    }
    throw Rejection.error(404, "no route " + method + " " + path);
  }

  private static Map<String, Object> parseGraphql(byte[] body) {
    try {
      return ai.wandb.agent.api.Json.parseObject(new String(body, StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw GraphqlApi.graphqlError("the body is not a JSON object");
    }
  }

  private static void checkAuth(String authorization) {
    String expected = "Basic " + Base64.getEncoder().encodeToString(("api:" + API_KEY).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(authorization)) {
      throw Rejection.error(401, "authentication required: Basic auth with user api and the API key");
    }
  }

  private synchronized void record(String method, String path, HttpExchange exchange, byte[] body, int status) {
    exchanges.add(new Exchange(method, path, lowerCaseHeaders(exchange), new String(body, StandardCharsets.UTF_8),
        status));
  }

  private static Map<String, String> lowerCaseHeaders(HttpExchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
        String.join(",", values)));
    return headers;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** One request as received (headers lower-cased) and the status it was answered with (-1: dropped). */
  private record Outage(Fault fault, long untilNanos) {}

  public record Exchange(String method, String path, Map<String, String> headers, String body, int status) {}
}
