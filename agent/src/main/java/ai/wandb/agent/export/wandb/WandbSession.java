package ai.wandb.agent.export.wandb;

import ai.wandb.agent.export.http.WandbHttp;
import java.io.IOException;

/**
 * What the Weave and run sinks share: the authenticated HTTP client, the URLs, the project and the
 * entity, which, unless configured, is the key owner's default, asked once.
 */
public final class WandbSession {
  private final WandbHttp http;
  private final GraphqlClient graphql;
  private final String apiUrl;
  private final String appUrl;
  private final String traceServerUrl;
  private final String project;
  private final String configuredEntity;
  private String defaultEntity;

  public WandbSession(WandbHttp http, String apiUrl, String traceServerUrl, String project, String entity) {
    this(http, apiUrl, null, traceServerUrl, project, entity);
  }

  /** {@code publicBaseUrl}: {@code WANDB_PUBLIC_BASE_URL}, the app URL for links, or null to derive it. */
  public WandbSession(WandbHttp http, String apiUrl, String publicBaseUrl, String traceServerUrl, String project,
      String entity) {
    this.http = http;
    this.graphql = new GraphqlClient(http, apiUrl, 4);
    this.apiUrl = WandbUrls.stripSlash(apiUrl);
    this.appUrl = WandbUrls.appUrl(apiUrl, publicBaseUrl);
    this.traceServerUrl = WandbUrls.stripSlash(traceServerUrl);
    this.project = project;
    this.configuredEntity = entity;
  }

  public WandbHttp http() {
    return http;
  }

  public GraphqlClient graphql() {
    return graphql;
  }

  public String apiUrl() {
    return apiUrl;
  }

  public String appUrl() {
    return appUrl;
  }

  public String traceServerUrl() {
    return traceServerUrl;
  }

  public String project() {
    return project;
  }

  /** {@code WANDB_ENTITY}, or null when the key's default entity applies. */
  public String configuredEntity() {
    return configuredEntity;
  }

  /** The configured entity, else the key owner's default entity from the Viewer query (asked once). */
  public synchronized String entity() throws IOException {
    if (configuredEntity != null) {
      return configuredEntity;
    }
    if (defaultEntity == null) {
      defaultEntity = graphql.viewerEntity();
    }
    return defaultEntity;
  }
}
