package ai.wandb.agent.export.otlp;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.config.AgentConfig;
import ai.wandb.agent.config.Keys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where and how the otlp exporter sends, from OpenTelemetry's variables as the SDK reads them: the
 * signal-specific {@code OTEL_EXPORTER_OTLP_TRACES_*} wins over {@code OTEL_EXPORTER_OTLP_*}; a base
 * endpoint gets {@code /v1/traces} appended, a traces endpoint is used as given. With a W&B key and no
 * endpoint at all, the target is Weave's OTLP endpoint.
 */
public final class OtlpSettings {
  static final String DEFAULT_ENDPOINT = "http://localhost:4318";

  final String url;
  final boolean weave;
  final Map<String, String> headers;
  final int timeoutMillis;
  final boolean gzip;
  final Map<String, String> resource;

  OtlpSettings(String url, boolean weave, Map<String, String> headers, int timeoutMillis, boolean gzip,
      Map<String, String> resource) {
    this.url = url;
    this.weave = weave;
    this.headers = headers;
    this.timeoutMillis = timeoutMillis;
    this.gzip = gzip;
    this.resource = resource;
  }

  /**
   * @param traceServerUrl Weave's trace server, used when no endpoint is configured and {@code apiKey} is set
   */
  public static OtlpSettings from(AgentConfig config, String traceServerUrl, String agentVersion) {
    String tracesEndpoint = config.get(Keys.OTLP_TRACES_ENDPOINT);
    String endpoint = config.get(Keys.OTLP_ENDPOINT);
    boolean weave = tracesEndpoint == null && endpoint == null && config.apiKey() != null;
    String url = tracesEndpoint != null ? tracesEndpoint
        : weave ? traceServerUrl + "/otel/v1/traces"
        : (endpoint != null ? endpoint : DEFAULT_ENDPOINT) + "/v1/traces";

    Map<String, String> headers = new LinkedHashMap<String, String>(Keys.keyValues(config.get(Keys.OTLP_HEADERS)));
    headers.putAll(Keys.keyValues(config.get(Keys.OTLP_TRACES_HEADERS)));

    Integer tracesTimeout = config.get(Keys.OTLP_TRACES_TIMEOUT);
    int timeout = tracesTimeout != null ? tracesTimeout : config.get(Keys.OTLP_TIMEOUT);
    String tracesCompression = config.get(Keys.OTLP_TRACES_COMPRESSION);
    String compression = tracesCompression != null ? tracesCompression : config.get(Keys.OTLP_COMPRESSION);
    String tracesProtocol = config.get(Keys.OTLP_TRACES_PROTOCOL);
    String protocol = tracesProtocol != null ? tracesProtocol : config.get(Keys.OTLP_PROTOCOL);
    if (!"http/protobuf".equals(protocol)) {
      AgentLog.warn("otel.exporter.otlp.protocol=" + protocol + " is not implemented by wandb-agent; traces go as"
          + " http/protobuf to " + url);
    }
    return new OtlpSettings(url, weave, headers, timeout, "gzip".equals(compression),
        resource(config, agentVersion));
  }

  /**
   * {@code OTEL_RESOURCE_ATTRIBUTES}, {@code service.name} from {@code OTEL_SERVICE_NAME} (else the SDK's
   * {@code unknown_service:java}), and the telemetry SDK, which here is the agent.
   */
  static Map<String, String> resource(AgentConfig config, String agentVersion) {
    Map<String, String> resource = new LinkedHashMap<String, String>();
    resource.put("service.name", "unknown_service:java");
    resource.putAll(Keys.keyValues(config.get(Keys.RESOURCE_ATTRIBUTES)));
    String serviceName = config.get(Keys.SERVICE_NAME);
    if (serviceName != null) {
      resource.put("service.name", serviceName);
    }
    resource.put("telemetry.sdk.name", "wandb-agent");
    resource.put("telemetry.sdk.language", "java");
    resource.put("telemetry.sdk.version", agentVersion);
    return resource;
  }

  /** Whether the target is Weave's OTLP endpoint (no endpoint configured, an API key known). */
  public boolean weave() {
    return weave;
  }

  public String url() {
    return url;
  }

  public int timeoutMillis() {
    return timeoutMillis;
  }

  /** The URL without its query, for messages (a collector's URL may carry a token there). */
  String displayUrl() {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }
}
