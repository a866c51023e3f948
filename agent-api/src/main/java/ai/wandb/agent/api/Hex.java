package ai.wandb.agent.api;

/** Fixed-width lower-case hex, as W3C trace context writes ids. */
final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  static String of(long value) {
    char[] out = new char[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = DIGITS[(int) (value & 0xF)];
      value >>>= 4;
    }
    return new String(out);
  }
}
