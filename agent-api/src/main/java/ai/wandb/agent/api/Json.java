package ai.wandb.agent.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
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
   */
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE)
          .maxNestingDepth(Integer.MAX_VALUE)
          .build())
      .build();

  private Json() {}

  public static Object parse(String text) throws IOException {
    JsonParser parser = FACTORY.createParser(text);
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
    StringWriter out = new StringWriter();
    try {
      JsonGenerator generator = FACTORY.createGenerator(out);
      write(tree, generator);
      generator.close();
    } catch (IOException e) {
      throw new IllegalStateException("writing to a string cannot fail", e);
    }
    return out.toString();
  }

  /**
   * The tree as UTF-8 JSON appended to {@code out}, written straight to bytes: for sinks that write
   * files, which would otherwise build the text as a string and then encode it again, and which reuse
   * one buffer for every trace instead of allocating (and zeroing) new ones per trace.
   */
  public static void writeUtf8(Object tree, ByteArrayOutputStream out) {
    try {
      JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8);
      write(tree, generator);
      generator.close();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
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

}
