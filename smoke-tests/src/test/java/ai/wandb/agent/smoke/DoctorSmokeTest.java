package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.AGENT_JAR;
import static ai.wandb.agent.smoke.JavaProcess.GITHUB_URL_ASSISTANT;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.testing.otlp.OtlpReceiver;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar wandb-agent.jar doctor} against the strict W&B and Weave stand-in. */
class DoctorSmokeTest {
  @TempDir
  Path dir;

  private JavaProcess doctor(WandbTestServer server, String key) {
    return java().in(dir).env("WANDB_API_KEY", key).env("WANDB_BASE_URL", server.apiUrl())
        .env("WF_TRACE_SERVER_URL", server.traceUrl()).env("WANDB_PROJECT", "demo");
  }

  @Test
  void aHealthySetupIsAllOkAndExitsZero() throws Exception {
    try (WandbTestServer server = WandbTestServer.start().viewerEntity("acme")) {
      JavaProcess.Result run = doctor(server, WandbTestServer.API_KEY)
          .runJar(AGENT_JAR, "doctor", "--classpath", GITHUB_URL_ASSISTANT.toString());

      assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
      List<String> lines = run.stdout().lines().toList();
      assertTrue(lines.contains("OK    API key: found in WANDB_API_KEY (not shown)"), run.stdout());
      assertTrue(lines.contains("OK    W&B API: " + server.apiUrl() + " reachable, key accepted"), run.stdout());
      assertTrue(lines.contains("OK    entity/project: acme/demo (the key's default entity)"), run.stdout());
      assertTrue(lines.contains("OK    trace server: " + server.traceUrl() + " reachable"), run.stdout());
      assertTrue(lines.stream().anyMatch(line -> line.startsWith("INFO  instrumentations: would trace: openai, executors;")),
          run.stdout());
      assertFalse(run.stdout().contains(WandbTestServer.API_KEY));
      assertEquals("verdict: traces would reach every configured sink (exit 0)", lines.get(lines.size() - 1));
    }
  }

  @Test
  void aWrongKeyIsOneFailLineWithTheFixAndExitsOne() throws Exception {
    try (WandbTestServer server = WandbTestServer.start()) {
      String wrong = "local-ffffffffffffffffffffffffffffffffffffffff";
      JavaProcess.Result run = doctor(server, wrong).runJar(AGENT_JAR, "doctor");

      assertEquals(1, run.exitCode(), run.stdout() + run.stderr());
      List<String> failures = run.stdout().lines().filter(line -> line.startsWith("FAIL")).toList();
      assertEquals(1, failures.size(), run.stdout());
      assertTrue(failures.get(0).startsWith("FAIL  W&B API: " + server.apiUrl()
          + " reachable, but the key was not accepted"), failures.get(0));
      assertTrue(failures.get(0).contains("fix: check the key from WANDB_API_KEY"), failures.get(0));
      assertFalse(run.stdout().contains(wrong));
    }
  }

  @Test
  void anUnreachableServerIsSaidAsSuchAndExitsOne() throws Exception {
    String apiUrl;
    try (WandbTestServer server = WandbTestServer.start()) {
      apiUrl = server.apiUrl();
    }
    JavaProcess.Result run = java().in(dir).env("WANDB_API_KEY", WandbTestServer.API_KEY)
        .env("WANDB_BASE_URL", apiUrl).runJar(AGENT_JAR, "doctor");

    assertEquals(1, run.exitCode(), run.stdout() + run.stderr());
    assertTrue(run.stdout().lines().anyMatch(line -> line.startsWith("FAIL  W&B API: " + apiUrl + " unreachable")
        && line.contains("fix: check wandb.base_url")), run.stdout());
  }

  @Test
  void withoutAKeyLocalFilesAreTheSinkAndThatIsHealthy() throws Exception {
    JavaProcess.Result run = java().in(dir).runJar(AGENT_JAR, "doctor");

    assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
    assertTrue(run.stdout().contains("INFO  API key: none found: traces go to local files"), run.stdout());
    assertTrue(run.stdout().contains("OK    local files: " + dir.resolve("wandb/traces") + " writable"), run.stdout());
  }

  @Test
  void anOtlpCollectorThatTakesTheRequestIsOkAndOneThatIsDownIsAFail() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start()) {
      JavaProcess.Result up = java().in(dir).env("WANDB_EXPORTERS", "otlp")
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()).runJar(AGENT_JAR, "doctor");

      assertEquals(0, up.exitCode(), up.stdout() + up.stderr());
      assertTrue(up.stdout().lines().anyMatch(line -> line.startsWith("OK    OTLP: collector ")
          && line.endsWith(" took an empty export request")), up.stdout());
      assertEquals(1, receiver.received().size(), "the probe is one request");
    }
    String endpoint;
    try (OtlpReceiver gone = OtlpReceiver.start()) {
      endpoint = gone.endpoint();
    }
    JavaProcess.Result down = java().in(dir).env("WANDB_EXPORTERS", "otlp")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint).runJar(AGENT_JAR, "doctor");

    assertEquals(1, down.exitCode(), down.stdout() + down.stderr());
    assertTrue(down.stdout().lines().anyMatch(line -> line.startsWith("FAIL  OTLP: collector ")
        && line.contains("fix: check OTEL_EXPORTER_OTLP_ENDPOINT")), down.stdout());
  }
}
