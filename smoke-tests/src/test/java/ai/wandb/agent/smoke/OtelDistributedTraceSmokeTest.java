package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.SMOKE_APPS;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import ai.wandb.agent.testing.otlp.OtlpReceiver;
import ai.wandb.agent.testing.otlp.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's traces join the distributed trace the app is in: under a span the app makes with the
 * OpenTelemetry SDK, and under the OpenTelemetry Java agent's HTTP server span, with both agents
 * exporting to one collector and the app's output unchanged, whichever agent comes first.
 */
class OtelDistributedTraceSmokeTest {
  private static final String CLASS_PATH = SMOKE_APPS.resolve("otel-app/target/otel-app.jar") + File.pathSeparator
      + SMOKE_APPS.resolve("otel-app/target/lib") + File.separator + "*";
  private static final String MAIN = "ai.wandb.smoke.otel.OtelApp";
  private static final Pattern APP_SPAN = Pattern.compile("\\[otel-app] span ([0-9a-f]{32}) ([0-9a-f]{16})");

  private final OpenAiTestServer openai = OpenAiTestServer.start();
  private final OtlpReceiver receiver = OtlpReceiver.start();

  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    openai.close();
    receiver.close();
  }

  @Test
  void aModelCallInsideTheAppsOwnSpanIsTracedAsThatSpansChildInEveryFormat() throws Exception {
    JavaProcess.Result run = run(app().withAgent(null), "own-span");

    assertEquals(0, run.exitCode(), run.stderr());
    Matcher appSpan = APP_SPAN.matcher(run.stderr());
    assertTrue(appSpan.find(), run.stderr());
    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(1, traces.size(), run.stderr());
    Map<String, Object> root = traces.get(0);
    assertEquals(appSpan.group(1), root.get("trace_id"));
    assertEquals(appSpan.group(2), object(root.get("attributes")).get("otel.parent_span_id"));
    ReceivedSpan exported = receiver.spans().get(0);
    assertEquals(appSpan.group(1), exported.traceId());
    assertEquals(appSpan.group(2), exported.parentSpanId());
    OtlpTrees.assertSameTrees(traces, receiver.spans());
  }

  @Test
  void nextToTheOpenTelemetryAgentOurSpansNestUnderItsHttpServerSpanInEitherOrder() throws Exception {
    String otel = System.getProperty("otel.javaagent.jar");
    assumeTrue(otel != null && Files.isRegularFile(Paths.get(otel)), "the OpenTelemetry agent jar was not resolved");
    JavaProcess.Result plain = run(app(), "serve");
    JavaProcess.Result otelOnly = run(withOtelAgent(app(), otel), "serve");
    assertEquals(plain.stdout(), otelOnly.stdout());

    for (boolean otelFirst : new boolean[] {true, false}) {
      int before = receiver.spans().size();
      JavaProcess both = otelFirst ? withOtelAgent(app(), otel).withAgent(null) : withOtelAgent(app().withAgent(null), otel);
      JavaProcess.Result run = run(both, "serve");

      assertEquals(plain.stdout(), run.stdout(), "otel first: " + otelFirst);
      assertEquals(otelOnly.appStderr(), run.appStderr(), "otel first: " + otelFirst);
      List<ReceivedSpan> spans = receiver.spans().subList(before, receiver.spans().size());
      ReceivedSpan server = spans.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER).findFirst()
          .orElseThrow(() -> new AssertionError("no server span from the OpenTelemetry agent: " + run.stderr()));
      ReceivedSpan ours = spans.stream().filter(s -> s.scopeName().equals("wandb-agent")).findFirst()
          .orElseThrow(() -> new AssertionError("no span from wandb-agent: " + run.stderr()));
      assertEquals(server.traceId(), ours.traceId(), "otel first: " + otelFirst);
      // The OpenTelemetry agent traces openai-java too; its chat span is a layer of our call, not a parent.
      assertEquals(server.spanId(), ours.parentSpanId(), "otel first: " + otelFirst);
      ReceivedSpan otelChat = spans.stream().filter(s -> !s.scopeName().equals("wandb-agent"))
          .filter(s -> s.name().startsWith("chat")).findFirst().orElse(null);
      if (otelChat != null) {
        assertEquals(server.spanId(), otelChat.parentSpanId(), "the two layers of the call side by side");
      }
      assertEquals("chat gpt-4o-mini", ours.name());
    }
  }

  private JavaProcess app() {
    return JavaProcess.java().in(dir)
        .env("OPENAI_BASE_URL", openai.baseUrl()).env("OPENAI_API_KEY", "sk-smoke-0123456789abcdefghijklmnopqrstuv")
        .env("WANDB_EXPORTERS", "file,otlp")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
  }

  private static JavaProcess withOtelAgent(JavaProcess process, String otelJar) {
    return process.jvmArg("-javaagent:" + otelJar)
        .jvmArg("-Dotel.service.name=otel-app")
        .jvmArg("-Dotel.traces.exporter=otlp")
        .jvmArg("-Dotel.exporter.otlp.protocol=http/protobuf")
        .jvmArg("-Dotel.metrics.exporter=none")
        .jvmArg("-Dotel.logs.exporter=none")
        .jvmArg("-Dotel.javaagent.logging=none");
  }

  private JavaProcess.Result run(JavaProcess process, String mode) throws Exception {
    openai.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));
    return process.runMain(CLASS_PATH, MAIN, mode);
  }
}
