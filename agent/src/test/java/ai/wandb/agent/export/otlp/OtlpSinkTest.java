package ai.wandb.agent.export.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.export.Exporter;
import ai.wandb.agent.export.TraceJson;
import ai.wandb.agent.export.http.UrlConnectionTransport;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.spool.Backoff;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.testing.otlp.OtlpReceiver;
import ai.wandb.agent.testing.otlp.ReceivedSpan;
import ai.wandb.agent.testing.wandb.Fault;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import ai.wandb.agent.testing.wandb.WeaveOtelSpan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The otlp sink against the test collector: delivery, faults, outages spooled and replayed, Weave routing. */
class OtlpSinkTest {
  private final List<AutoCloseable> servers = new ArrayList<>();
  private long clock;

  @TempDir
  Path dir;

  @AfterEach
  void stop() throws Exception {
    Tracer.setListener(null);
    for (AutoCloseable server : servers) {
      server.close();
    }
  }

  @Test
  void spansArriveGzippedAsProtobufWithTheResourceAndTheConfiguredHeaders() throws Exception {
    OtlpReceiver receiver = receiver(0);
    Exporter exporter = exporter(sink(receiver.endpoint(), Map.of("x-team", "llm apps"), spool()));
    Set<String> ids = spanIds(trace("hello"));
    exporter.shutdown(5000);

    assertEquals(ids, receiver.spans().stream().map(ReceivedSpan::spanId).collect(Collectors.toSet()));
    OtlpReceiver.Received request = receiver.received().get(0);
    assertEquals("gzip", request.headers().get("content-encoding"));
    assertEquals("application/x-protobuf", request.headers().get("content-type"));
    assertEquals("llm apps", request.headers().get("x-team"));
    assertFalse(request.headers().containsKey("authorization"), "no W&B key goes to a collector");
    ReceivedSpan span = receiver.spans().get(0);
    assertEquals("checkout", span.resource().get("service.name"));
    assertEquals("wandb-agent", span.resource().get("telemetry.sdk.name"));
    assertEquals("wandb-agent", span.scopeName());
  }

  @Test
  void aCollectorOutageIsSpooledAndReplayedWithNothingLost() throws Exception {
    OtlpReceiver receiver = receiver(0);
    receiver.failFor(Fault.status(503), 3_600_000);
    Spool spool = spool();
    Exporter exporter = exporter(sink(receiver.endpoint(), Map.of(), spool));
    Set<String> ids = spanIds(trace("first"));
    await(() -> receiver.received().stream().anyMatch(r -> r.status() == 503) && !spool.segments().isEmpty());
    ids.addAll(spanIds(trace("second")));
    await(() -> spool.spooled() == 6);
    assertTrue(receiver.spans().isEmpty());

    receiver.recover();
    clock += 60_000;
    await(() -> receiver.spans().size() == 6);
    exporter.shutdown(5000);

    assertEquals(ids, receiver.spans().stream().map(ReceivedSpan::spanId).collect(Collectors.toSet()));
    assertEquals(6, receiver.spans().size(), "each span once");
    assertTrue(spool.segments().isEmpty());
  }

  @Test
  void tooManyRequestsWaitsForRetryAfterAndThenDelivers() throws Exception {
    OtlpReceiver receiver = receiver(0);
    receiver.failNext(Fault.retryAfter(429, 1));
    Exporter exporter = exporter(sink(receiver.endpoint(), Map.of(), spool()));
    Set<String> ids = spanIds(trace("busy"));
    await(() -> receiver.spans().size() == 3);
    exporter.shutdown(5000);

    assertEquals(List.of(429, 200), receiver.received().stream().map(OtlpReceiver.Received::status).toList());
    assertEquals(ids, receiver.spans().stream().map(ReceivedSpan::spanId).collect(Collectors.toSet()));
  }

  @Test
  void aCollectorThatIsNotRunningYetGetsTheSpansOnceItListens() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Spool spool = spool();
    Exporter exporter = exporter(sink("http://127.0.0.1:" + port, Map.of(), spool));
    Set<String> ids = spanIds(trace("early"));
    await(() -> spool.spooled() == 3 && !spool.segments().isEmpty());

    OtlpReceiver receiver = receiver(port);
    clock += 60_000;
    await(() -> receiver.spans().size() == 3);
    exporter.shutdown(5000);

    assertEquals(ids, receiver.spans().stream().map(ReceivedSpan::spanId).collect(Collectors.toSet()));
  }

  @Test
  void whatTheShutdownBoundLeftIsSentByTheNextProcess() throws Exception {
    OtlpReceiver receiver = receiver(0);
    receiver.failFor(Fault.status(503), 3_600_000);
    Exporter first = exporter(sink(receiver.endpoint(), Map.of(), spool()));
    Set<String> ids = spanIds(trace("before the restart"));
    first.shutdown(300);
    assertTrue(receiver.spans().isEmpty());

    receiver.recover();
    Exporter second = exporter(sink(receiver.endpoint(), Map.of(), spool()));
    await(() -> receiver.spans().size() == 3);
    second.shutdown(5000);

    assertEquals(ids, receiver.spans().stream().map(ReceivedSpan::spanId).collect(Collectors.toSet()));
  }

  @Test
  void aPartialSuccessIsReportedOnceAndABadRequestIsDroppedAndCounted() throws Exception {
    OtlpReceiver receiver = receiver(0);
    receiver.rejectInNextAnswer(2, "span too large");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    OtlpSink sink = sink(receiver.endpoint(), Map.of(), spool());
    Exporter exporter = exporter(sink);
    AgentLog.setOutput(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      trace("first");
      await(() -> receiver.spans().size() == 3);
      receiver.failNext(Fault.status(400));
      trace("second");
      await(() -> receiver.received().size() == 2);
      exporter.shutdown(5000);
    } finally {
      AgentLog.setOutput(null);
    }
    String lines = captured.toString(StandardCharsets.UTF_8);
    assertTrue(lines.contains("2 span(s) rejected: span too large"), lines);
    assertTrue(lines.contains("dropped 3 span(s)"), lines);
    assertTrue(sink.exitNote().contains("3 span(s) dropped"), sink.exitNote());
  }

  @Test
  void toWeaveTheSpansAreRoutedToTheProjectWithTheKeyAndTheWeaveKeys() throws Exception {
    WandbTestServer server = WandbTestServer.start();
    servers.add(server);
    WandbHttp http = new WandbHttp(new UrlConnectionTransport(), WandbTestServer.API_KEY, "test", millis -> { }, 5000);
    WandbSession session = new WandbSession(http, server.apiUrl(), server.traceUrl(), "otlp-tests", null);
    OtlpSettings settings = new OtlpSettings(server.traceUrl() + "/otel/v1/traces", true, Map.of(), 5000, true,
        Map.of("service.name", "checkout"));
    OtlpSink sink = new OtlpSink(settings, http, session, "test", true, 20, 1000, spool(), backoff());
    Exporter exporter = exporter(sink);
    Set<String> ids = spanIds(trace("to weave"));
    exporter.shutdown(5000);

    List<WeaveOtelSpan> spans = server.otelSpans();
    assertEquals(ids, spans.stream().map(s -> s.span().spanId()).collect(Collectors.toSet()));
    assertTrue(spans.stream().allMatch(s -> s.projectId().equals("test-entity/otlp-tests")));
    ReceivedSpan llm = spans.stream().map(WeaveOtelSpan::span).filter(s -> s.name().startsWith("chat")).findFirst()
        .orElseThrow();
    assertEquals("test-entity", llm.resource().get("wandb.entity"));
    assertEquals("otlp-tests", llm.resource().get("wandb.project"));
    assertEquals("llm", llm.attribute("weave.span.kind"));
    assertEquals("llm", llm.attribute("wandb.display_name"));
    assertEquals(15L, llm.attribute("llm.usage.total_tokens"));
    WandbTestServer.Exchange request = server.exchanges().stream()
        .filter(e -> e.path().equals("/traces/otel/v1/traces")).findFirst().orElseThrow();
    assertEquals("test-entity/otlp-tests", request.headers().get("project_id"));
    assertTrue(server.projects().contains("test-entity/otlp-tests"), "the project is created first");
  }

  private OtlpReceiver receiver(int port) {
    OtlpReceiver receiver = OtlpReceiver.start(port);
    servers.add(receiver);
    return receiver;
  }

  private Spool spool() {
    return new Spool(dir.resolve("otlp"), 1 << 20);
  }

  private Backoff backoff() {
    return new Backoff(1000, 30000, () -> clock, new Random(1));
  }

  private OtlpSink sink(String endpoint, Map<String, String> headers, Spool spool) {
    OtlpSettings settings = new OtlpSettings(endpoint + "/v1/traces", false, new LinkedHashMap<>(headers), 5000, true,
        Map.of("service.name", "checkout", "telemetry.sdk.name", "wandb-agent"));
    WandbHttp http = new WandbHttp(new UrlConnectionTransport(), null, "test", millis -> Thread.sleep(Math.min(millis, 50)),
        5000);
    return new OtlpSink(settings, http, null, "test", true, 20, 1000, spool, backoff());
  }

  private static Exporter exporter(OtlpSink sink) {
    Exporter exporter = new Exporter(List.of(sink), 64, 20);
    Tracer.setListener(exporter);
    return exporter;
  }

  private static Set<String> spanIds(Span root) {
    return new HashSet<>(TraceJson.flatten(root).stream().map(Span::spanId).toList());
  }

  /** agent.run → (llm, tool). */
  private static Span trace(String question) {
    Span root = Tracer.start("agent.run", SpanKind.AGENT, question, RENDERER);
    Tracer.end(Tracer.start("llm", SpanKind.LLM, "llm", RENDERER), "completion", null);
    Tracer.end(Tracer.start("tool", SpanKind.TOOL, "tool", RENDERER), "result", null);
    Tracer.end(root, "answer", null);
    return root;
  }

  /** Waits for the sink's threads (a condition, not a duration: the bound only ends a broken test). */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "condition not reached");
      Thread.sleep(10);
    }
  }

  private static final SpanRenderer RENDERER = new SpanRenderer() {
    @Override
    public void renderStart(Span span) {
      span.setInputs(Map.of("input", String.valueOf(span.request())));
    }

    @Override
    public void renderEnd(Span span) {
      span.setOutputs(Map.of("output", String.valueOf(span.response())));
      if (span.kind() == SpanKind.LLM) {
        span.setUsage(new ai.wandb.agent.api.Usage(10L, 5L, null, null, null));
      }
    }
  };
}
