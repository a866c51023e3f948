package ai.wandb.agent.bootstrap;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Random;

/**
 * The random source of the run id. Seeded from {@code /dev/urandom} where it exists: the first
 * {@link SecureRandom} of a JVM loads the security providers, about 20 ms of premain measured on the
 * LangChain4j one-call app, and a run id needs to be unique, not secret.
 */
final class IdRandom {
  private static final String URANDOM = "/dev/urandom";

  private IdRandom() {}

  static Random create() {
    try (InputStream in = new FileInputStream(URANDOM)) {
      byte[] seed = new byte[8];
      if (in.read(seed) == seed.length) {
        long value = 0;
        for (byte b : seed) {
          value = (value << 8) | (b & 0xff);
        }
        return new Random(value);
      }
    } catch (IOException | SecurityException e) {
      // no /dev/urandom (Windows) or not readable: the JDK's secure source
    }
    return new SecureRandom();
  }
}
