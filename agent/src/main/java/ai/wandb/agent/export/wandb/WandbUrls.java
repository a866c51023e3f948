package ai.wandb.agent.export.wandb;

import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.net.URLEncoder;
import java.util.Locale;

/** The URLs the references derive from the API base URL. */
public final class WandbUrls {
  public static final String DEFAULT_API = "https://api.wandb.ai";
  public static final String DEFAULT_TRACE_SERVER = "https://trace.wandb.ai";

  private WandbUrls() {}

  /**
   * Whether a URL sends the API key in clear over the network: plain {@code http://} to a host other
   * than loopback ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}). Judged from the text alone,
   * so no DNS lookup runs at startup.
   */
  public static boolean insecureOffLoopback(String url) {
    if (url == null || !url.toLowerCase(Locale.ROOT).startsWith("http://")) {
      return false;
    }
    String host;
    try {
      host = new URI(url).getHost();
    } catch (Exception e) {
      return true;
    }
    if (host == null) {
      return true;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    boolean loopback = host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    return !loopback;
  }

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

  /** The UI: {@code WANDB_PUBLIC_BASE_URL} when set, else as derived from the API URL. */
  public static String appUrl(String apiUrl, String publicBaseUrl) {
    return publicBaseUrl != null ? stripSlash(publicBaseUrl) : appUrl(apiUrl);
  }

  /**
   * The trace server, as Weave's {@code env.py} derives it: as configured when it differs from the
   * default; otherwise trace.wandb.ai for the public cloud and {@code <frontend>/traces} for dedicated
   * and self-hosted servers, the frontend being {@code WANDB_PUBLIC_BASE_URL} or the API URL without
   * its {@code api.} ({@code https://api.acme.io} → {@code https://acme.io/traces}).
   */
  public static String traceServerUrl(String configured, String apiUrl, String publicBaseUrl) {
    if (configured != null && !stripSlash(configured).equals(DEFAULT_TRACE_SERVER)) {
      return stripSlash(configured);
    }
    String frontend = publicBaseUrl != null ? stripSlash(publicBaseUrl) : stripSlash(apiUrl).replace("://api.", "://");
    return frontend.equals("https://wandb.ai") ? DEFAULT_TRACE_SERVER : frontend + "/traces";
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
