package ai.wandb.agent.export.wandb;

import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;

/** The URLs the references derive from the API base URL. */
public final class WandbUrls {
  public static final String DEFAULT_API = "https://api.wandb.ai";
  public static final String DEFAULT_TRACE_SERVER = "https://trace.wandb.ai";

  private WandbUrls() {}

  /** The UI: {@code ://api.wandb.} loses {@code api.}, another {@code ://api.} becomes {@code ://app.}. */
  public static String appUrl(String apiUrl) {
    String base = stripSlash(apiUrl);
    if (base.contains("://api.wandb.")) {
      return base.replace("://api.", "://");
    }
    if (base.contains("://api.")) {
      return base.replace("://api.", "://app.");
    }
    return base;
  }

  /**
   * The trace server: as configured when it differs from the default; otherwise trace.wandb.ai for
   * the public cloud and {@code <base>/traces} for dedicated and self-hosted servers.
   */
  public static String traceServerUrl(String configured, String apiUrl) {
    if (configured != null && !stripSlash(configured).equals(DEFAULT_TRACE_SERVER)) {
      return stripSlash(configured);
    }
    String base = stripSlash(apiUrl);
    return base.equals(DEFAULT_API) ? DEFAULT_TRACE_SERVER : base + "/traces";
  }

  public static String runUrl(String appUrl, String entity, String project, String runId) {
    return appUrl + "/" + quote(entity) + "/" + quote(project) + "/runs/" + quote(runId);
  }

  public static String weaveTracesUrl(String appUrl, String entity, String project) {
    return appUrl + "/" + quote(entity) + "/" + quote(project) + "/weave/traces";
  }

  public static String fileStreamUrl(String apiUrl, String entity, String project, String runId) {
    return stripSlash(apiUrl) + "/files/" + quote(entity) + "/" + quote(project) + "/" + quote(runId) + "/file_stream";
  }

  static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String quote(String segment) {
    try {
      return URLEncoder.encode(segment, "UTF-8").replace("+", "%20");
    } catch (UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
