package ai.wandb.agent.smoke;

import ai.wandb.agent.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol with the JDK's WebSocket: one
 * page, its console errors and uncaught exceptions collected, JavaScript evaluated in it.
 */
final class HeadlessChromium implements AutoCloseable {
  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

  /** The browser binary: {@code -Dchromium=...}, else the first of chromium, chromium-browser, google-chrome on the PATH. */
  static Path binary() {
    String configured = System.getProperty("chromium");
    if (configured != null) {
      return Paths.get(configured);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
        Path candidate = Paths.get(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  HeadlessChromium(Path binary, Path profile) throws Exception {
    this.profile = profile;
    // --no-sandbox: CI runs as root, where Chromium refuses its sandbox; the page is our own local file.
    process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--remote-debugging-port=0",
        "--user-data-dir=" + profile, "about:blank")
        .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromium.log").toFile()).start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException("chromium did not start: " + Files.readString(profile.resolveSibling("chromium.log")));
      }
      Thread.sleep(50);
    }
    String port = Files.readAllLines(portFile).get(0).trim();
    HttpClient http = HttpClient.newHttpClient();
    String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    String pageUrl = null;
    for (Object target : (List<?>) Json.parse(list)) {
      Map<?, ?> t = (Map<?, ?>) target;
      if ("page".equals(t.get("type"))) {
        pageUrl = (String) t.get("webSocketDebuggerUrl");
        break;
      }
    }
    if (pageUrl == null) {
      throw new IllegalStateException("no page target: " + list);
    }
    socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
        .buildAsync(URI.create(pageUrl), new Listener()).get(30, TimeUnit.SECONDS);
    call("Runtime.enable", Map.of());
    call("Log.enable", Map.of());
    call("Page.enable", Map.of());
  }

  /** Sends one command and waits for its result. */
  Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
    pending.put(id, result);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("id", id);
    message.put("method", method);
    message.put("params", params);
    socket.sendText(Json.write(message), true).get(30, TimeUnit.SECONDS);
    Map<String, Object> response = result.get(60, TimeUnit.SECONDS);
    if (response.get("error") != null) {
      throw new IllegalStateException(method + ": " + response.get("error"));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) response.get("result");
    return body;
  }

  void viewport(int width, int height) throws Exception {
    call("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 500));
  }

  /** Opens the page and waits for its load event. */
  void open(String url) throws Exception {
    loaded = new CompletableFuture<>();
    call("Page.navigate", Map.of("url", url));
    loaded.get(60, TimeUnit.SECONDS);
  }

  void reload() throws Exception {
    loaded = new CompletableFuture<>();
    call("Page.reload", Map.of("ignoreCache", true));
    loaded.get(60, TimeUnit.SECONDS);
  }

  /** Evaluates an expression (promises awaited) and returns its JSON value. */
  Object eval(String expression) throws Exception {
    Map<String, Object> result = call("Runtime.evaluate",
        Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.get("exceptionDetails") != null) {
      throw new AssertionError("JavaScript failed: " + expression + " -> " + result.get("exceptionDetails"));
    }
    return ((Map<?, ?>) result.get("result")).get("value");
  }

  /** Waits until the expression is truthy; returns its last value. */
  Object waitFor(String expression, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Object value = null;
    while (System.nanoTime() < deadline) {
      value = eval(expression);
      boolean zero = value instanceof Number && ((Number) value).doubleValue() == 0;
      if (value != null && !Boolean.FALSE.equals(value) && !"".equals(value) && !zero) {
        return value;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not true within " + seconds + " s: " + expression + " (last value " + value + ")");
  }

  /** The number an expression evaluates to, once it is non-zero (or after the wait, whatever it is). */
  long count(String expression, int seconds) throws Exception {
    try {
      return ((Number) waitFor(expression, seconds)).longValue();
    } catch (AssertionError zeroAllAlong) {
      return ((Number) eval(expression)).longValue();
    }
  }

  void screenshot(Path file) throws Exception {
    Map<String, Object> shot = call("Page.captureScreenshot", Map.of("format", "png"));
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
  }

  /** Console errors, uncaught exceptions and error log entries since the last call. */
  List<String> takeErrors() {
    synchronized (errors) {
      List<String> out = new ArrayList<>(errors);
      errors.clear();
      return out;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      socket.abort();
    } finally {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
      // Chromium's profile lock is a set of symbolic links to /tmp; removing them spares JUnit's warning.
      for (String link : new String[] {"SingletonLock", "SingletonSocket", "SingletonCookie"}) {
        Files.deleteIfExists(profile.resolve(link));
      }
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          handle(Json.parseObject(text));
        } catch (IOException e) {
          errors.add("unreadable DevTools message: " + e);
        }
      }
      webSocket.request(1);
      return null;
    }

    private void handle(Map<String, Object> message) {
      Object id = message.get("id");
      if (id != null) {
        CompletableFuture<Map<String, Object>> waiting = pending.remove(((Number) id).intValue());
        if (waiting != null) {
          waiting.complete(message);
        }
        return;
      }
      String method = (String) message.get("method");
      Map<?, ?> params = (Map<?, ?>) message.get("params");
      if ("Page.loadEventFired".equals(method)) {
        loaded.complete(null);
      } else if ("Runtime.exceptionThrown".equals(method)) {
        errors.add("exception: " + params.get("exceptionDetails"));
      } else if ("Runtime.consoleAPICalled".equals(method)
          && ("error".equals(params.get("type")) || "assert".equals(params.get("type")))) {
        errors.add("console." + params.get("type") + ": " + params.get("args"));
      } else if ("Log.entryAdded".equals(method) && "error".equals(((Map<?, ?>) params.get("entry")).get("level"))) {
        errors.add("log: " + params.get("entry"));
      }
    }
  }
}
