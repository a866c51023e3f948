package ai.wandb.agent.export.weave;

import ai.wandb.agent.api.Span;

/**
 * Weave ids derived from the span ids, so the same span always maps to the same call and a child
 * finds its parent's call without a lookup. They are lowercase UUIDv7 strings, as the Python SDK
 * sends: the 48-bit millisecond timestamp is the span's (or for the trace, the root's) start, and the
 * 74 random bits come from the span id and the trace id.
 */
public final class WeaveIds {
  private WeaveIds() {}

  public static String callId(Span span) {
    long spanId = Long.parseUnsignedLong(span.spanId(), 16);
    long traceLow = Long.parseUnsignedLong(span.traceId().substring(16), 16);
    // rand_a: the top 12 bits of the span id; rand_b: its other 52 bits and 10 bits of the trace id.
    long randA = spanId >>> 52;
    long randB = ((spanId & 0xFFFFFFFFFFFFFL) << 10) | (traceLow & 0x3FF);
    return uuid7(span.startEpochNanos() / 1000000L, randA, randB);
  }

  /** The parent's call id, or null for a root. */
  public static String parentCallId(Span span) {
    return span.parent() == null ? null : callId(span.parent());
  }

  public static String traceId(Span span) {
    Span root = span;
    while (root.parent() != null) {
      root = root.parent();
    }
    long high = Long.parseUnsignedLong(root.traceId().substring(0, 16), 16);
    long low = Long.parseUnsignedLong(root.traceId().substring(16), 16);
    return uuid7(root.startEpochNanos() / 1000000L, high & 0xFFF, low >>> 2);
  }

  static String uuid7(long millis, long randA12, long randB62) {
    long msb = ((millis & 0xFFFFFFFFFFFFL) << 16) | (0x7L << 12) | (randA12 & 0xFFF);
    long lsb = (0x2L << 62) | (randB62 & 0x3FFFFFFFFFFFFFFFL);
    // Written into one char array: several ids per span, and the string pieces were most of their cost.
    char[] out = new char[36];
    hex(msb, out, 0);
    hex(lsb, out, 16);
    // 8-4-4-4-12: shift the groups right to make room for the dashes, last group first.
    System.arraycopy(out, 20, out, 24, 12);
    System.arraycopy(out, 16, out, 19, 4);
    System.arraycopy(out, 12, out, 14, 4);
    System.arraycopy(out, 8, out, 9, 4);
    out[8] = '-';
    out[13] = '-';
    out[18] = '-';
    out[23] = '-';
    return new String(out);
  }

  /** The 16 lowercase hex digits of {@code value}, zero-padded, at {@code at}. */
  private static void hex(long value, char[] out, int at) {
    for (int i = 15; i >= 0; i--, value >>>= 4) {
      out[at + i] = Character.forDigit((int) (value & 0xF), 16);
    }
  }
}
