package ai.wandb.agent.export.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The protobuf wire format, just as much of it as an OTLP export request needs: tags, varints, fixed64,
 * length-delimited strings, bytes and nested messages. Written by hand so the agent does not carry
 * protobuf-java and the generated OTLP classes (1.4 MB of the jar). A nested message is written in place
 * and its length inserted in front of it when it ends, so one buffer serves the whole request; fields go
 * out in the order they are written, and {@link OtlpEncoder} writes them in field-number order, as
 * protobuf-java does, so the bytes are the same as the official classes'.
 */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;

  private byte[] buffer;
  private int position;

  ProtoWriter(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  /** Starts a nested message in field {@code field}; pass what it returns to {@link #end(int)}. */
  int begin(int field) {
    tag(field, LENGTH_DELIMITED);
    return position;
  }

  /** Ends the nested message begun at {@code start}: its length goes in front of its bytes. */
  void end(int start) {
    int length = position - start;
    int prefix = varintSize(length);
    ensure(prefix);
    System.arraycopy(buffer, start, buffer, start + prefix, length);
    int end = position;
    position = start;
    rawVarint(length);
    position = end + prefix;
  }

  void string(int field, String value) {
    bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  void bytes(int field, byte[] value) {
    tag(field, LENGTH_DELIMITED);
    rawVarint(value.length);
    ensure(value.length);
    System.arraycopy(value, 0, buffer, position, value.length);
    position += value.length;
  }

  /** int64, uint64, bool and enum fields; negative numbers take ten bytes, as protobuf writes them. */
  void varint(int field, long value) {
    tag(field, VARINT);
    rawVarint(value);
  }

  void fixed64(int field, long value) {
    tag(field, FIXED64);
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buffer[position++] = (byte) (value >>> (8 * i));
    }
  }

  void double64(int field, double value) {
    fixed64(field, Double.doubleToRawLongBits(value));
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, position);
  }

  private void tag(int field, int wireType) {
    rawVarint((field << 3) | wireType);
  }

  private void rawVarint(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buffer[position++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[position++] = (byte) value;
  }

  private static int varintSize(int value) {
    int size = 1;
    while ((value & ~0x7F) != 0) {
      size++;
      value >>>= 7;
    }
    return size;
  }

  private void ensure(int more) {
    if (position + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
    }
  }
}
