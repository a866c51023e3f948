package ai.wandb.agent.export.otlp;

import ai.wandb.agent.export.http.RetryPolicy;
import ai.wandb.agent.export.http.WandbHttp;
import java.util.Collections;
import java.util.Map;

/**
 * For {@code doctor}: one export request with no spans (an empty {@code ExportTraceServiceRequest} is
 * zero bytes of protobuf), sent once, with the headers and encoding the sink would use, so the verdict
 * is the collector's own answer to what the agent sends.
 */
public final class OtlpProbe {
  private OtlpProbe() {}

  /** Null when the collector took the request; otherwise what went wrong. */
  public static String problem(WandbHttp http, OtlpSettings settings, String weaveProjectId) {
    Map<String, String> headers = weaveProjectId == null ? Collections.<String, String>emptyMap()
        : Collections.singletonMap("project_id", weaveProjectId);
    OtlpClient client = new OtlpClient(http, settings, headers);
    OtlpClient.Outcome outcome = client.send(new byte[0], RetryPolicy.wandb(1));
    return outcome == OtlpClient.Outcome.SENT ? null : client.problem();
  }
}
