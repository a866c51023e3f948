package ai.wandb.agent.api;

import java.net.URI;
import java.util.Locale;

/** {@code gen_ai.provider.name} from the base URL a client talks to, for OpenAI-compatible clients. */
public final class Providers {
  /**
   * The last base URL looked up and its provider: an app has one or a few clients, and parsing the URL
   * for every span was 3 % of the exporter thread's samples at a web server's 200 chat calls a second.
   */
  private static volatile String[] last;

  private Providers() {}

  public static String fromBaseUrl(String baseUrl) {
    String[] known = last;
    if (known != null && known[0].equals(baseUrl)) {
      return known[1];
    }
    String provider = parse(baseUrl);
    if (baseUrl != null) {
      last = new String[] {baseUrl, provider};
    }
    return provider;
  }

  private static String parse(String baseUrl) {
    if (baseUrl == null) {
      return "openai";
    }
    String host;
    int port;
    try {
      URI uri = URI.create(baseUrl.trim());
      host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
      port = uri.getPort();
    } catch (IllegalArgumentException e) {
      return "openai";
    }
    if (host.endsWith("openai.azure.com") || host.contains("azure")) {
      return "azure";
    }
    if (host.endsWith("openai.com")) {
      return "openai";
    }
    if (host.contains("deepseek")) {
      return "deepseek";
    }
    if (host.contains("openrouter")) {
      return "openrouter";
    }
    if (host.contains("groq")) {
      return "groq";
    }
    if (host.contains("mistral")) {
      return "mistral";
    }
    if (host.contains("together")) {
      return "together";
    }
    if (host.contains("bedrock") || host.endsWith("amazonaws.com")) {
      return "aws.bedrock";
    }
    if (host.contains("ollama") || port == 11434) {
      return "ollama";
    }
    if (isLocal(host)) {
      return "local";
    }
    return "openai";
  }

  private static boolean isLocal(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1")
        || host.equals("0.0.0.0");
  }
}
