package ai.wandb.agent.export.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.config.AgentConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenTelemetry's variables, read as the OpenTelemetry SDK reads them. */
class OtlpSettingsTest {
  private static final String TRACE_SERVER = "https://trace.example.com";

  @TempDir
  Path home;

  @Test
  void aBaseEndpointGetsTheTracesPathAndTheTracesEndpointIsUsedAsGiven() {
    assertEquals("http://collector:4318/v1/traces",
        settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"), new Properties()).url);
    assertEquals("http://collector:4318/custom", settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://other:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/custom"), new Properties()).url);
    assertEquals("http://localhost:4318/v1/traces", settings(Map.of(), new Properties()).url);
  }

  @Test
  void systemPropertiesSpellTheSameKeysAndWinOverTheEnvironment() {
    Properties properties = new Properties();
    properties.setProperty("otel.exporter.otlp.endpoint", "http://from-property:4318");
    properties.setProperty("otel.service.name", "checkout");
    OtlpSettings settings = settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://from-env:4318"), properties);

    assertEquals("http://from-property:4318/v1/traces", settings.url);
    assertEquals("checkout", settings.resource.get("service.name"));
  }

  @Test
  void headersAreDecodedAndTheTracesListWinsPerKey() {
    OtlpSettings settings = settings(Map.of(
        "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20abc, x-tenant = acme",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-tenant=globex"), new Properties());

    assertEquals(Map.of("Authorization", "Bearer abc", "x-tenant", "globex"), settings.headers);
  }

  @Test
  void timeoutCompressionAndResourceFollowTheSdksPrecedence() {
    OtlpSettings settings = settings(Map.of(
        "OTEL_EXPORTER_OTLP_TIMEOUT", "2000", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "3000",
        "OTEL_EXPORTER_OTLP_COMPRESSION", "none",
        "OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes,deployment.environment.name=prod%20eu",
        "OTEL_SERVICE_NAME", "checkout"), new Properties());

    assertEquals(3000, settings.timeoutMillis);
    assertFalse(settings.gzip);
    assertEquals("checkout", settings.resource.get("service.name"));
    assertEquals("prod eu", settings.resource.get("deployment.environment.name"));
    assertEquals("wandb-agent", settings.resource.get("telemetry.sdk.name"));
    assertEquals("java", settings.resource.get("telemetry.sdk.language"));
    assertTrue(settings(Map.of(), new Properties()).gzip, "gzip unless told otherwise");
    assertEquals("unknown_service:java", settings(Map.of(), new Properties()).resource.get("service.name"));
  }

  @Test
  void withAKeyAndNoEndpointTheTargetIsWeave() {
    OtlpSettings settings = settings(Map.of("WANDB_API_KEY", "local-" + "a".repeat(40)), new Properties());

    assertTrue(settings.weave());
    assertEquals(TRACE_SERVER + "/otel/v1/traces", settings.url);
    assertFalse(settings(Map.of("WANDB_API_KEY", "local-" + "a".repeat(40),
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"), new Properties()).weave());
  }

  @Test
  void aBadHeaderListIsOneProblemLineAndTheHeadersAreNotPrinted() {
    AgentConfig config = AgentConfig.load(null, Map.of("OTEL_EXPORTER_OTLP_HEADERS", "no-equals-sign-secret"),
        new Properties(), home);

    assertEquals(1, config.problems().size(), config.problems().toString());
    assertTrue(config.problems().get(0).contains("OTEL_EXPORTER_OTLP_HEADERS"), config.problems().get(0));
    assertFalse(config.problems().get(0).contains("secret"), config.problems().get(0));
    assertFalse(AgentConfig.load(null, Map.of("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=secret"),
        new Properties(), home).toString().contains("secret"));
  }

  private OtlpSettings settings(Map<String, String> env, Properties properties) {
    properties.setProperty("user.dir", home.toString());
    return OtlpSettings.from(AgentConfig.load(null, env, properties, home), TRACE_SERVER, "1.2.3");
  }
}
