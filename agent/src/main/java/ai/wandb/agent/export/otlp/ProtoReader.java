package ai.wandb.agent.export.otlp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads protobuf fields one at a time, skipping what it is not asked for; enough for the
 * {@code ExportTraceServiceResponse} a collector answers with. Malformed input is an {@link IOException},
 * never an index error.
 */
final class ProtoReader {
  private final byte[] data;
  private int position;
  private final int limit;
  private int wireType;

  ProtoReader(byte[] data) {
    this(data, 0, data.length);
  }

  private ProtoReader(byte[] data, int offset, int limit) {
    this.data = data;
    this.position = offset;
    this.limit = limit;
  }

  /** The next field's number, or 0 at the end. */
  int next() throws IOException {
    if (position >= limit) {
      return 0;
    }
    long tag = varint();
    wireType = (int) (tag & 7);
    int field = (int) (tag >>> 3);
    if (field <= 0) {
      throw new IOException("invalid protobuf tag " + tag);
    }
    return field;
  }

  long varintValue() throws IOException {
    expect(0);
    return varint();
  }

  String stringValue() throws IOException {
    expect(2);
    int length = length();
    String value = new String(data, position, length, StandardCharsets.UTF_8);
    position += length;
    return value;
  }

  /** The current length-delimited field as a reader of its own. */
  ProtoReader message() throws IOException {
    expect(2);
    int length = length();
    ProtoReader nested = new ProtoReader(data, position, position + length);
    position += length;
    return nested;
  }

  void skip() throws IOException {
    switch (wireType) {
      case 0:
        varint();
        break;
      case 1:
        advance(8);
        break;
      case 2:
        advance(length());
        break;
      case 5:
        advance(4);
        break;
      default:
        throw new IOException("unsupported protobuf wire type " + wireType);
    }
  }

  private void expect(int type) throws IOException {
    if (wireType != type) {
      throw new IOException("protobuf wire type " + wireType + " where " + type + " was expected");
    }
  }

  private int length() throws IOException {
    long length = varint();
    if (length < 0 || length > limit - position) {
      throw new IOException("protobuf length " + length + " past the end of the message");
    }
    return (int) length;
  }

  private void advance(int bytes) throws IOException {
    if (bytes > limit - position) {
      throw new IOException("protobuf field past the end of the message");
    }
    position += bytes;
  }

  private long varint() throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= limit) {
        throw new IOException("truncated protobuf varint");
      }
      byte b = data[position++];
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IOException("malformed protobuf varint");
  }
}
