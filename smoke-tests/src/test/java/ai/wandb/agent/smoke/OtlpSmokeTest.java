package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.GITHUB_URL_ASSISTANT;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.otlp.OtlpReceiver;
import ai.wandb.agent.testing.otlp.ReceivedSpan;
import ai.wandb.agent.testing.wandb.Fault;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import ai.wandb.agent.testing.wandb.WeaveOtelSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example apps under the real agent jar with {@code wandb.exporters=file,otlp} and the standard
 * {@code OTEL_*} variables, against the test collector: what it decodes rebuilds the local JSONL's trees.
 */
class OtlpSmokeTest {
  private static final Path LANGCHAIN4J_ASSISTANT =
      JavaProcess.EXAMPLES.resolve("langchain4j-assistant/target/langchain4j-assistant.jar");
  private static final String[] QUESTIONS = {"find java libraries for parsing yaml", "fail-demo please"};

  private final OtlpReceiver receiver = OtlpReceiver.start();

  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void theOpenAiAppsSpansReachTheCollectorAsTheSameTreesAsTheLocalFiles(@TempDir Path plainDir) throws Exception {
    JavaProcess.Result plain = java().in(plainDir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS);
    JavaProcess.Result run = otlpApp().in(dir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS);

    assertEquals(plain.stdout(), run.stdout(), "the app's output is unchanged by the agent");
    assertEquals(plain.exitCode(), run.exitCode());
    assertEquals(plain.appStderr(), run.appStderr());
    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(2, traces.size(), run.stderr());
    OtlpTrees.assertSameTrees(traces, receiver.spans());
    ReceivedSpan span = receiver.spans().get(0);
    assertEquals("github-url-assistant", span.resource().get("service.name"));
    assertEquals("staging", span.resource().get("deployment.environment.name"));
    assertEquals("wandb-agent", span.resource().get("telemetry.sdk.name"));
    assertEquals("chat gpt-4o-mini", span.name());
    assertEquals("Bearer smoke-token", receiver.received().get(0).headers().get("authorization"));
    assertTrue(run.agentLines().get(0).contains("otlp"), run.agentLines().get(0));
  }

  @Test
  void theLangChain4jAppsAgentTreesReachTheCollectorWithToolsAndRetrieval() throws Exception {
    JavaProcess.Result run = otlpApp().in(dir).runJar(LANGCHAIN4J_ASSISTANT, "open-ai");

    assertEquals(0, run.exitCode(), run.stderr());
    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    // The documents embedded at start, then the two questions.
    assertEquals(3, traces.size(), run.stderr());
    OtlpTrees.assertSameTrees(traces, receiver.spans());
    Set<String> operations = receiver.spans().stream()
        .map(s -> (String) s.attribute("gen_ai.operation.name")).collect(Collectors.toSet());
    assertTrue(operations.containsAll(Set.of("invoke_agent", "chat", "execute_tool", "retrieval")), operations.toString());
  }

  @Test
  void aCollectorOutageIsSpooledAtExitAndReplayedByTheNextRunWithNothingLost(@TempDir Path second) throws Exception {
    receiver.failFor(Fault.status(503), 3_600_000);
    JavaProcess.Result down = otlpApp().env("WANDB_SHUTDOWN_TIMEOUT_MS", "1500").in(dir)
        .runJar(GITHUB_URL_ASSISTANT, QUESTIONS);
    assertTrue(receiver.spans().isEmpty());
    assertTrue(down.agentLines().stream().anyMatch(line -> line.contains("otlp") && line.contains("spooled")),
        down.stderr());
    Set<String> lost = TraceFiles.readTraces(TraceFiles.tracesDir(dir)).stream()
        .map(trace -> (String) trace.get("span_id")).collect(Collectors.toSet());

    receiver.recover();
    // The next run in the same directory (the spool is under wandb/spool) sends both runs' spans.
    JavaProcess.Result up = otlpApp().in(dir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS[0]);
    assertEquals(0, up.exitCode(), up.stderr());
    Set<String> received = receiver.spans().stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
    assertTrue(received.containsAll(lost), "every span of the first run arrived: " + lost + " in " + received);
    assertEquals(3, receiver.spans().size(), "each span once");
    assertFalse(Files.exists(dir.resolve("wandb/spool/otlp")) && Files.list(dir.resolve("wandb/spool/otlp"))
        .anyMatch(p -> p.toString().endsWith(".jsonl")), "the spool is empty");
  }

  @Test
  void withAKeyAndNoEndpointTheSpansGoToWeavesOtlpEndpointRoutedToTheProject() throws Exception {
    try (WandbTestServer server = WandbTestServer.start().viewerEntity("smoke-team")) {
      JavaProcess.Result run = java().withAgent(null)
          .env("WANDB_EXPORTERS", "file,otlp")
          .env("WANDB_API_KEY", WandbTestServer.API_KEY)
          .env("WANDB_BASE_URL", server.apiUrl())
          .env("WF_TRACE_SERVER_URL", server.traceUrl())
          .env("WANDB_PROJECT", "smoke-otlp")
          .in(dir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS);

      List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
      List<WeaveOtelSpan> spans = server.otelSpans();
      assertEquals(2, spans.size(), run.stderr());
      assertFalse(run.stderr().contains("rejected"), run.stderr());
      OtlpTrees.assertSameTrees(traces, spans.stream().map(WeaveOtelSpan::span).toList());
      for (WeaveOtelSpan span : spans) {
        assertEquals("smoke-team/smoke-otlp", span.projectId());
        assertEquals("smoke-team", span.span().resource().get("wandb.entity"));
        assertEquals("llm", span.span().attribute("weave.span.kind"));
        assertEquals("openai.chat.completions.create", span.span().attribute("wandb.display_name"));
      }
      Map<String, Object> usage = object(traces.get(0).get("usage"));
      ReceivedSpan answered = spans.stream().map(WeaveOtelSpan::span)
          .filter(s -> s.spanId().equals(traces.get(0).get("span_id"))).findFirst().orElseThrow();
      assertEquals(((Number) usage.get("total_tokens")).longValue(), answered.attribute("llm.usage.total_tokens"));
      WandbTestServer.Exchange request = server.exchanges().stream()
          .filter(e -> e.path().equals("/traces/otel/v1/traces")).findFirst().orElseThrow();
      assertEquals("smoke-team/smoke-otlp", request.headers().get("project_id"));
      assertTrue(request.headers().get("authorization").startsWith("Basic "));
    }
  }

  @Test
  void theEncoderIsLoadedOnlyToSendAndOnJava25NothingCausesAJvmWarning(@TempDir Path plainDir) throws Exception {
    Path java25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    Path classLog = dir.resolve("classes.log");
    JavaProcess.Result noCall = otlpApp().jvmArg("-Xlog:class+load:file=" + classLog).in(dir)
        .runJar(GITHUB_URL_ASSISTANT, "-x");
    assertEquals(2, noCall.exitCode(), noCall.stderr());
    assertFalse(Files.readString(classLog).contains("ai.wandb.agent.export.otlp.ProtoWriter"), "encoder loaded without a batch");

    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java25.resolve("bin/java")), "no JDK 25");
    JavaProcess.Result plain = java().javaHome(java25.toString()).in(plainDir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS);
    JavaProcess.Result run = otlpApp().javaHome(java25.toString()).in(dir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS);
    assertEquals(plain.stdout(), run.stdout());
    assertEquals(plain.appStderr(), run.appStderr(), "no JVM warning");
    assertEquals(2, receiver.spans().size(), run.stderr());
  }

  private JavaProcess otlpApp() {
    return java().withAgent(null)
        .env("WANDB_EXPORTERS", "file,otlp")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
        .env("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20smoke-token")
        .env("OTEL_SERVICE_NAME", "github-url-assistant")
        .env("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=staging,service.name=ignored");
  }
}
