package ai.wandb.agent.export.weave;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.JsonBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A spool line as the sink's worker writes it, {@code {"mode":M,<agent-only keys>,"req":{M:{fields}}}}
 * ({@code req} last), turned into its {@code upsert_batch} item by splicing bytes: {@code project_id}
 * first in the fields, the op name as its ref, {@code wb_run_id} last, as {@link WeaveDelivery} built
 * them from the parsed entry. Parsing each line and writing it again was most of the Weave sender's
 * samples (JFR, the exporter benchmark: 1,883 spans/s). A line of any other shape (an older version's
 * layout, an op name with escapes) gives null and goes the parsed way.
 */
final class SpooledItem {
  private static final byte[] MODE = JsonBytes.ascii("{\"mode\":\"");
  private static final byte[] REQ = JsonBytes.ascii("req");
  private static final byte[] RUN = JsonBytes.ascii(WeaveDelivery.RUN);
  private static final byte[] ID = JsonBytes.ascii("\"id\":\"");
  private static final byte[] OP_NAME = JsonBytes.ascii(",\"op_name\":");
  private static final byte[] NULL = JsonBytes.ascii("null");
  private static final byte[] OPEN_KEY = JsonBytes.ascii("{\"");
  private static final byte[] KEY_OBJECT = JsonBytes.ascii("\":{");

  final byte[] line;
  final boolean start;
  /** Where the fields object's content begins (after its brace) and where its closing brace is. */
  private final int fieldsFrom;
  private final int fieldsTo;
  /** A start's op name value, quotes included, and the name itself; -1 and null for an end. */
  private final int opFrom;
  private final int opTo;
  final String opName;
  /** A start's run id as it is in the line (escaped, no quotes); -1 when the line has none. */
  private final int runFrom;
  private final int runTo;

  private SpooledItem(byte[] line, boolean start, int fieldsFrom, int fieldsTo, int opFrom, int opTo, String opName,
      int runFrom, int runTo) {
    this.line = line;
    this.start = start;
    this.fieldsFrom = fieldsFrom;
    this.fieldsTo = fieldsTo;
    this.opFrom = opFrom;
    this.opTo = opTo;
    this.opName = opName;
    this.runFrom = runFrom;
    this.runTo = runTo;
  }

  /** The line's parts, or null when it is not of the worker's shape. */
  static SpooledItem of(byte[] line) {
    if (!startsWith(line, 0, MODE)) {
      return null;
    }
    int at = MODE.length;
    int modeEnd = at;
    while (modeEnd < line.length && line[modeEnd] != '"') {
      modeEnd++;
    }
    boolean start = equals(line, at, modeEnd, "start");
    if (!start && !equals(line, at, modeEnd, "end")) {
      return null;
    }
    int modeFrom = at;
    at = modeEnd + 1;
    int runFrom = -1;
    int runTo = -1;
    // The agent-only keys, each a string or null, up to "req".
    while (true) {
      if (at >= line.length || line[at] != ',' || at + 1 >= line.length || line[at + 1] != '"') {
        return null;
      }
      int keyFrom = at + 2;
      int keyTo = stringEnd(line, keyFrom);
      if (keyTo < 0 || keyTo + 1 >= line.length || line[keyTo + 1] != ':') {
        return null;
      }
      at = keyTo + 2;
      if (equals(line, keyFrom, keyTo, REQ)) {
        break;
      }
      if (startsWith(line, at, NULL)) {
        at += NULL.length;
      } else if (at < line.length && line[at] == '"') {
        int valueTo = stringEnd(line, at + 1);
        if (valueTo < 0) {
          return null;
        }
        if (equals(line, keyFrom, keyTo, RUN)) {
          runFrom = at + 1;
          runTo = valueTo;
        }
        at = valueTo + 1;
      } else {
        return null;
      }
    }
    // "req":{"<mode>":{ ... }}} and nothing after it.
    if (!startsWith(line, at, OPEN_KEY) || !equals(line, at + 2, at + 2 + (modeEnd - modeFrom), line, modeFrom)) {
      return null;
    }
    at += 2 + (modeEnd - modeFrom);
    if (!startsWith(line, at, KEY_OBJECT)) {
      return null;
    }
    int fieldsFrom = at + 3;
    int fieldsTo = objectEnd(line, fieldsFrom);
    if (fieldsTo < 0 || fieldsTo != line.length - 3 || line[fieldsTo + 1] != '}' || line[fieldsTo + 2] != '}') {
      return null;
    }
    if (!start) {
      return new SpooledItem(line, false, fieldsFrom, fieldsTo, -1, -1, null, -1, -1);
    }
    // A start's fields begin "id":"<id>","op_name":"<name>" (WeaveCalls.start); ids hold no escapes.
    if (!startsWith(line, fieldsFrom, ID)) {
      return null;
    }
    int idEnd = stringEnd(line, fieldsFrom + ID.length);
    if (idEnd < 0 || !startsWith(line, idEnd + 1, OP_NAME)) {
      return null;
    }
    int opFrom = idEnd + 1 + OP_NAME.length;
    if (opFrom >= line.length || line[opFrom] != '"') {
      return null;
    }
    int opEnd = stringEnd(line, opFrom + 1);
    if (opEnd < 0) {
      return null;
    }
    for (int i = opFrom + 1; i < opEnd; i++) {
      if (line[i] == '\\') {
        return null;
      }
    }
    String opName = new String(line, opFrom + 1, opEnd - opFrom - 1, StandardCharsets.UTF_8);
    return new SpooledItem(line, true, fieldsFrom, fieldsTo, opFrom, opEnd + 1, opName, runFrom, runTo);
  }

  /**
   * The item {@code {"mode":M,"req":{M:{"project_id":P,<fields>[,"wb_run_id":R]}}}}: a start's op name
   * is {@code opRef} (JSON, quotes included; null keeps the line's), its {@code wb_run_id}
   * {@code runPrefix} (the entity and project, each followed by a slash) and the line's run id.
   */
  byte[] item(String projectId, String opRef, String runPrefix) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(line.length + 128);
    JsonBytes.write(out, start ? "{\"mode\":\"start\",\"req\":{\"start\":{\"project_id\":" : "{\"mode\":\"end\",\"req\":{\"end\":{\"project_id\":");
    JsonBytes.write(out, Json.write(projectId));
    if (fieldsTo > fieldsFrom) {
      out.write(',');
    }
    if (start && opRef != null) {
      out.write(line, fieldsFrom, opFrom - fieldsFrom);
      JsonBytes.write(out, opRef);
      out.write(line, opTo, fieldsTo - opTo);
    } else {
      out.write(line, fieldsFrom, fieldsTo - fieldsFrom);
    }
    if (start && runFrom >= 0) {
      JsonBytes.write(out, ",\"wb_run_id\":");
      String prefix = Json.write(runPrefix);
      JsonBytes.write(out, prefix.substring(0, prefix.length() - 1));
      out.write(line, runFrom, runTo - runFrom);
      out.write('"');
    }
    JsonBytes.write(out, "}}}");
    return out.toByteArray();
  }

  /**
   * The index of the closing quote of the string whose content starts at {@code from}; -1 if none, or
   * if it holds an escaped surrogate: the spool's UTF-8 writer escapes a character beyond U+FFFF
   * ({@code \\uD83D\\uDE00}) where the text writer the sender used gave its UTF-8 bytes, so such a line
   * goes the parsed way to reach the server as it did.
   */
  private static int stringEnd(byte[] line, int from) {
    for (int i = from; i < line.length; i++) {
      if (line[i] == '\\') {
        i++;
        if (i + 2 < line.length && line[i] == 'u' && (line[i + 1] == 'D' || line[i + 1] == 'd')
            && "89ABab".indexOf(line[i + 2]) >= 0) {
          return -1;
        }
      } else if (line[i] == '"') {
        return i;
      }
    }
    return -1;
  }

  /** The index of the brace closing the object whose content starts at {@code from}; -1 if none. */
  private static int objectEnd(byte[] line, int from) {
    int depth = 0;
    for (int i = from; i < line.length; i++) {
      byte b = line[i];
      if (b == '"') {
        i = stringEnd(line, i + 1);
        if (i < 0) {
          return -1;
        }
      } else if (b == '{' || b == '[') {
        depth++;
      } else if (b == '}' || b == ']') {
        if (depth == 0) {
          return b == '}' ? i : -1;
        }
        depth--;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] line, int at, byte[] prefix) {
    return at >= 0 && at + prefix.length <= line.length && equals(line, at, at + prefix.length, prefix);
  }

  private static boolean equals(byte[] line, int from, int to, String text) {
    return equals(line, from, to, JsonBytes.ascii(text));
  }

  private static boolean equals(byte[] line, int from, int to, byte[] text) {
    return to - from == text.length && equals(line, from, to, text, 0);
  }

  private static boolean equals(byte[] line, int from, int to, byte[] other, int otherFrom) {
    if (to > line.length || otherFrom + (to - from) > other.length) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (line[i] != other[otherFrom + i - from]) {
        return false;
      }
    }
    return true;
  }

}
