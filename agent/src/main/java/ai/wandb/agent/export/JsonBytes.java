package ai.wandb.agent.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level pieces of JSON for the senders that splice spooled lines into request bodies instead of
 * parsing and writing them again (the Weave sender's {@code SpooledItem}, the run sender's
 * {@code FileStream} and {@code RunSegment}).
 */
public final class JsonBytes {
  private JsonBytes() {}

  public static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code text}'s UTF-8 bytes onto {@code out}. */
  public static void write(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
  }

  /** The first index of {@code key} in {@code line}; -1 if none. */
  public static int indexOf(byte[] line, byte[] key) {
    outer:
    for (int i = 0; i + key.length <= line.length; i++) {
      for (int j = 0; j < key.length; j++) {
        if (line[i + j] != key[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
