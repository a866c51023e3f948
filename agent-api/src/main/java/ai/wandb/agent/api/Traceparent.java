package ai.wandb.agent.api;

/** The W3C Trace Context {@code traceparent} header: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}. */
final class Traceparent {
  private Traceparent() {}

  /** {@code {trace id high, trace id low, parent span id}}, or null when the header is absent or invalid. */
  static long[] parse(String header) {
    if (header == null) {
      return null;
    }
    String value = header.trim();
    // Version 00 is exactly 55 characters; later versions may append fields after the flags.
    if (value.length() < 55 || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-'
        || (value.length() > 55 && value.charAt(55) != '-') || value.startsWith("ff")
        || (value.startsWith("00") && value.length() != 55)) {
      return null;
    }
    try {
      if (!isHex(value, 0, 2) || !isHex(value, 53, 55)) {
        return null;
      }
      long high = Long.parseUnsignedLong(value.substring(3, 19), 16);
      long low = Long.parseUnsignedLong(value.substring(19, 35), 16);
      long parent = Long.parseUnsignedLong(value.substring(36, 52), 16);
      if ((high == 0 && low == 0) || parent == 0 || !isHex(value, 3, 35) || !isHex(value, 36, 52)) {
        return null;
      }
      return new long[] {high, low, parent};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Lower-case hex only, as the specification requires. */
  private static boolean isHex(String value, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}
