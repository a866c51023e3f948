package ai.wandb.agent.bootstrap;

import java.io.InputStream;
import java.util.Properties;

/** The agent's version, from a resource filtered at build time (the manifest is not always reachable). */
public final class Version {
  private Version() {}

  public static String get() {
    Properties properties = new Properties();
    try {
      InputStream in = Version.class.getResourceAsStream("/ai/wandb/agent/version.properties");
      if (in != null) {
        try {
          properties.load(in);
        } finally {
          in.close();
        }
      }
    } catch (Exception ignored) {
      // An unknown version is not worth failing over.
    }
    return properties.getProperty("version", "unknown");
  }
}
