package ai.wandb.agent.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain trees ({@link Map}, {@link List}, {@link String}, {@link Number}, {@link Boolean},
 * {@code null}) on top of jackson-core's streaming API; databind would add 1.6 MB to the jar for
 * nothing the agent needs.
 */
public final class Json {
  /**
   * No length or depth limit while reading: a 20 MB prompt or a deeply nested tool schema is still
   * captured, then cut to size with a marker by {@link CapturedValues} and {@link #read} rather than
   * lost to a parse error. Depth is bounded by {@link #read}, which skips (without recursing) what lies
   * below {@link CapturedValues#MAX_DEPTH}.
   *
   * <p>Doubles are written and read with jackson-core's Schubfach and FastDoubleParser code: the same
   * values (the shortest text that reads back as the same double, as {@code Double.toString} gives on
   * Java 19+), where Java 8-18's {@code Double.toString} was a sixth of the file sink's JSON writing in a
   * JFR profile of a web server (every span's {@code duration_ms}).
   */
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE)
          .maxNestingDepth(Integer.MAX_VALUE)
          .build())
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();

  private Json() {}

  public static Object parse(String text) throws IOException {
    return parse(FACTORY.createParser(text));
  }

  /** Parses any JSON value from UTF-8 bytes, as another library's mapper wrote it. */
  public static Object parse(byte[] utf8) throws IOException {
    return parse(FACTORY.createParser(utf8));
  }

  /**
   * Parses a JSON object from UTF-8 bytes; anything else is an error. For text read from a file: no
   * string decoded first.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(byte[] utf8, int offset, int length) throws IOException {
    Object value = parse(FACTORY.createParser(utf8, offset, length));
    if (!(value instanceof Map)) {
      throw new IOException("expected a JSON object");
    }
    return (Map<String, Object>) value;
  }

  private static Object parse(JsonParser parser) throws IOException {
    try {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new IOException("empty JSON text");
      }
      return read(parser, token, 0);
    } finally {
      parser.close();
    }
  }

  /** Parses a JSON object; anything else is an error. */
  public static Map<String, Object> parseObject(String text) throws IOException {
    return object(parse(text));
  }

  /**
   * Parses a JSON object from UTF-8 bytes, as another library's mapper wrote it, without decoding them to
   * a string first.
   */
  public static Map<String, Object> parseObject(byte[] utf8) throws IOException {
    JsonParser parser = FACTORY.createParser(utf8);
    try {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new IOException("empty JSON text");
      }
      return object(read(parser, token, 0));
    } finally {
      parser.close();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value) throws IOException {
    if (!(value instanceof Map)) {
      throw new IOException("expected a JSON object");
    }
    return (Map<String, Object>) value;
  }

  private static Object read(JsonParser parser, JsonToken token, int depth) throws IOException {
    if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth >= CapturedValues.MAX_DEPTH) {
      parser.skipChildren();
      return CapturedValues.TOO_DEEP;
    }
    switch (token) {
      case START_OBJECT:
        Map<String, Object> object = new LinkedHashMap<String, Object>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          object.put(field, read(parser, parser.nextToken(), depth + 1));
        }
        return object;
      case START_ARRAY:
        List<Object> array = new ArrayList<Object>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          array.add(read(parser, next, depth + 1));
        }
        return array;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected JSON token " + token);
    }
  }

  public static String write(Object tree) {
    // Jackson's own string writer, as its ObjectMapper uses: a StringWriter is a synchronized
    // StringBuffer grown by copying, which was the largest item of the W&B sinks' JSON in a JFR profile.
    // The factory's recycler, not handed back: its release is jackson-core 2.16+ (the tests of some
    // modules run this class on an older one), and the default pool is per thread either way.
    SegmentedStringWriter out = new SegmentedStringWriter(FACTORY._getBufferRecycler());
    try {
      JsonGenerator generator = FACTORY.createGenerator(out);
      write(tree, generator);
      generator.close();
      return out.getAndClear();
    } catch (IOException e) {
      throw new IllegalStateException("writing to a string cannot fail", e);
    }
  }

  /**
   * The tree as UTF-8 JSON onto {@code out}, which is neither flushed nor closed: for files of many
   * trees, and for sinks that reuse one buffer for every trace, without a string or a byte array per tree.
   */
  public static void writeUtf8(Object tree, OutputStream out) throws IOException {
    JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    generator.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    write(tree, generator);
    generator.close();
  }

  /**
   * The text {@link #write(Object)} gives, onto {@code out}, which is neither flushed nor closed: for a
   * writer that turns the text into something else on the way (the run sink escapes it as a string).
   */
  public static void write(Object tree, Writer out) throws IOException {
    JsonGenerator generator = FACTORY.createGenerator(out);
    generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    generator.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
    write(tree, generator);
    generator.close();
  }

  /**
   * The length of {@code write(tree).getBytes(UTF_8)}, without building either: for the size figures of
   * every span (two fifths of the exporter thread's samples for the run sink, JFR, the exporter benchmark).
   */
  public static long utf8Length(Object tree) {
    Utf8Counter counter = new Utf8Counter();
    try {
      JsonGenerator generator = FACTORY.createGenerator(counter);
      write(tree, generator);
      generator.close();
    } catch (IOException e) {
      throw new IllegalStateException("counting cannot fail", e);
    }
    return counter.bytes();
  }

  public static void write(Object value, JsonGenerator out) throws IOException {
    // Leaves first, by class checks: an interface check (Map, Collection) on a class that last matched
    // another interface scans the class's interfaces, which made this dispatch a good part of writing.
    if (value instanceof String) {
      out.writeString((String) value);
    } else if (value == null) {
      out.writeNull();
    } else if (value instanceof Boolean) {
      out.writeBoolean((Boolean) value);
    } else if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (Double.isNaN(number) || Double.isInfinite(number)) {
        out.writeNull();
      } else {
        out.writeNumber(number);
      }
    } else if (value instanceof Number) {
      out.writeNumber(value.toString());
    } else if (value instanceof Map) {
      out.writeStartObject();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        out.writeFieldName(String.valueOf(entry.getKey()));
        write(entry.getValue(), out);
      }
      out.writeEndObject();
    } else if (value instanceof Collection) {
      out.writeStartArray();
      for (Object element : (Collection<?>) value) {
        write(element, out);
      }
      out.writeEndArray();
    } else if (value instanceof Object[]) {
      out.writeStartArray();
      for (Object element : (Object[]) value) {
        write(element, out);
      }
      out.writeEndArray();
    } else {
      out.writeString(value.toString());
    }
  }

  /** Counts the UTF-8 bytes of the text written as {@code String.getBytes(UTF_8)} encodes it (a lone surrogate as {@code ?}). */
  private static final class Utf8Counter extends Writer {
    private long bytes;
    private boolean highSurrogate;

    @Override
    public void write(char[] chars, int offset, int length) {
      // ASCII counted in a tight loop, the rest one by one (utf8Length was a fifth of the run sink worker's
      // samples in the exporter benchmark, JFR; this loop a fifth of that).
      long ascii = 0;
      for (int i = offset; i < offset + length; i++) {
        char c = chars[i];
        if (c < 0x80 && !highSurrogate) {
          ascii++;
        } else {
          add(c);
        }
      }
      bytes += ascii;
    }

    @Override
    public void write(String text, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        add(text.charAt(i));
      }
    }

    @Override
    public void write(int c) {
      add((char) c);
    }

    private void add(char c) {
      if (highSurrogate) {
        highSurrogate = false;
        if (Character.isLowSurrogate(c)) {
          bytes += 4;
          return;
        }
        bytes++;
      }
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        highSurrogate = true;
      } else if (Character.isLowSurrogate(c)) {
        bytes++;
      } else {
        bytes += 3;
      }
    }

    long bytes() {
      return bytes + (highSurrogate ? 1 : 0);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
