package ai.wandb.agent.export.run;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.JsonBytes;
import ai.wandb.agent.export.http.HttpResult;
import ai.wandb.agent.export.http.RetryPolicy;
import ai.wandb.agent.export.http.WandbHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The run's {@code file_stream} ({@code reference/wandb-run-api.md} 3): history and system-metrics
 * lines appended at their line offsets, the summary rewritten as one line, the final
 * {@code complete}/{@code exitcode}. Lines stay pending until the server took them, so a failed send
 * is repeated at the same offsets; a status the reference calls final stops the stream for good.
 *
 * <p>Each line is held as its {@code content} element, a JSON string already escaped (quotes
 * included, UTF-8: {@link #element}), and a request body is those bytes joined by the body's few fixed
 * parts: the same bytes {@code Json.write} gave for the body as a tree of strings, without escaping
 * each line again at every send (with the spool's parse, most of the run sender's samples: JFR, the
 * exporter benchmark). Requests are counted in those bytes.
 */
final class FileStream {
  static final int MAX_LINE_BYTES = (10 << 20) - (100 << 10);
  /**
   * Bytes per request: the reference's limit is 10 MiB (3.4); 2 MiB, as the Weave sender's requests,
   * keeps what the sender holds (the lines waiting, then the body) small, and is still a few hundred
   * trace rows a request.
   */
  static final int MAX_REQUEST_BYTES = 2 << 20;
  static final String HISTORY = "wandb-history.jsonl";
  static final String EVENTS = "wandb-events.jsonl";
  static final String SUMMARY = "wandb-summary.json";
  /** Room kept in a row's line for the {@code ,"_step":<long>} added when it gets its offset. */
  static final int STEP_ROOM = 28;
  private static final byte[] STEP = JsonBytes.ascii(",\\\"_step\\\":");
  private static final byte[] FIRST_STEP = JsonBytes.ascii("\\\"_step\\\":");

  private final WandbHttp http;
  private final String url;
  private final int attempts;
  private final List<byte[]> history = new ArrayList<byte[]>();
  private final List<byte[]> events = new ArrayList<byte[]>();
  private long historyOffset;
  private long eventsOffset;
  private byte[] summary;
  private boolean dead;
  private boolean stopped;
  /** Bytes per request; halved when the server answers 413 and grown back after a success. */
  private long requestBudget = MAX_REQUEST_BYTES;

  FileStream(WandbHttp http, String url, long historyOffset, int attempts) {
    this.http = http;
    this.url = url;
    this.historyOffset = historyOffset;
    this.attempts = attempts;
  }

  /** A history line as its content {@link #element}. */
  void history(byte[] element) {
    history.add(element);
  }

  void events(Map<String, Object> row) {
    byte[] element = element(row, EVENTS);
    if (element != null) {
      events.add(element);
    }
  }

  /** The summary line as its content {@link #element}, which replaces the one waiting. */
  void summary(byte[] element) {
    this.summary = element;
  }

  boolean hasData() {
    return !history.isEmpty() || !events.isEmpty() || summary != null;
  }

  /** Whether the lines waiting fill a request, counted as {@link #nextRequest} counts them. */
  boolean full() {
    return pendingBytes() >= requestBudget;
  }

  /** The bytes of the lines waiting, as a request counts them. */
  long pendingBytes() {
    return 4096 + bytes(history, history.size()) + bytes(events, events.size());
  }

  boolean dead() {
    return dead;
  }

  /** True once the server answered {@code "stopped": true}: someone pressed the run's Stop button. */
  boolean stopped() {
    return stopped;
  }

  /** The first history line the server has not taken yet. */
  long acceptedHistoryOffset() {
    return historyOffset;
  }

  /** The offset the next {@link #history} row will be written at. */
  long nextHistoryOffset() {
    return historyOffset + history.size();
  }

  /**
   * The row as a {@code content} element of {@code file}: its JSON text written as a JSON string, quotes
   * included, in UTF-8, so exactly the bytes the body's writer gave for that string; null (and one
   * warning) when W&B would refuse a line that long, {@link #STEP_ROOM} included.
   */
  static byte[] element(Map<String, Object> row, String file) {
    ElementWriter out = new ElementWriter();
    try {
      Json.write(row, out);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    if (out.lineBytes > MAX_LINE_BYTES - STEP_ROOM) {
      AgentLog.warn("a " + file + " line of more than " + MAX_LINE_BYTES + " bytes was dropped, as W&B would");
      return null;
    }
    return out.element();
  }

  /**
   * An {@link #element} of an object with {@code ,"_step":step} added last inside it: the element of the
   * object with {@code _step} put last, as it was before the step was known.
   */
  static byte[] withStep(byte[] element, long step) {
    boolean empty = element.length == 4; // "{}"
    byte[] key = empty ? FIRST_STEP : STEP;
    byte[] digits = JsonBytes.ascii(Long.toString(step));
    int head = element.length - 2;
    byte[] out = new byte[head + key.length + digits.length + 2];
    System.arraycopy(element, 0, out, 0, head);
    System.arraycopy(key, 0, out, head, key.length);
    System.arraycopy(digits, 0, out, head + key.length, digits.length);
    out[out.length - 2] = '}';
    out[out.length - 1] = '"';
    return out;
  }

  /** Sends everything pending (in requests under the size limit); true when all of it was taken. */
  boolean flush() {
    while (hasData() && !dead) {
      if (!post(nextRequest(false, 0))) {
        return false;
      }
    }
    return !dead;
  }

  /** Flushes, then marks the run finished with {@code exitCode}. */
  boolean finish(int exitCode) {
    if (!flush()) {
      return false;
    }
    return post(nextRequest(true, exitCode));
  }

  boolean heartbeat() {
    return dead || post(new Request(JsonBytes.ascii("{}"), 0, 0, false, false, 0));
  }

  /**
   * {@code {"files":{<history>,<events>,<summary>},"complete":true,"exitcode":N}}, each part only when
   * it has something, each file {@code "<name>":{"offset":N,"content":[<elements>]}}: the body
   * {@code Json.write} made of the same tree.
   */
  private Request nextRequest(boolean complete, int exitCode) {
    long budget = requestBudget - 4096 - (summary == null ? 0 : summary.length + 8);
    int historyLines = take(history, budget);
    budget -= bytes(history, historyLines);
    int eventLines = take(events, budget);
    boolean withSummary = summary != null && historyLines == history.size() && eventLines == events.size();
    ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
        256 + bytes(history, historyLines) + bytes(events, eventLines) + (withSummary ? summary.length : 0)));
    body.write('{');
    if (historyLines > 0 || eventLines > 0 || withSummary) {
      JsonBytes.write(body, "\"files\":{");
      boolean first = true;
      if (historyLines > 0) {
        file(body, HISTORY, historyOffset, history, historyLines);
        first = false;
      }
      if (eventLines > 0) {
        if (!first) {
          body.write(',');
        }
        file(body, EVENTS, eventsOffset, events, eventLines);
        first = false;
      }
      if (withSummary) {
        if (!first) {
          body.write(',');
        }
        file(body, SUMMARY, 0, Collections.singletonList(summary), 1);
      }
      body.write('}');
    }
    if (complete) {
      JsonBytes.write(body, body.size() > 1 ? ",\"complete\":true,\"exitcode\":" : "\"complete\":true,\"exitcode\":");
      JsonBytes.write(body, Integer.toString(exitCode));
    }
    body.write('}');
    return new Request(body.toByteArray(), historyLines, eventLines, withSummary, complete, exitCode);
  }

  private static void file(ByteArrayOutputStream body, String name, long offset, List<byte[]> lines, int count) {
    JsonBytes.write(body, "\"" + name + "\":{\"offset\":" + offset + ",\"content\":[");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        body.write(',');
      }
      byte[] line = lines.get(i);
      body.write(line, 0, line.length);
    }
    JsonBytes.write(body, "]}");
  }

  /** How many of the lines fit {@code budget}; at least one, so a line larger than a request still goes. */
  private static int take(List<byte[]> lines, long budget) {
    int count = 0;
    long used = 0;
    while (count < lines.size()) {
      long size = lines.get(count).length + 1;
      if (count > 0 && used + size > budget) {
        break;
      }
      used += size;
      count++;
    }
    return count;
  }

  private boolean post(Request request) {
    HttpResult result;
    try {
      result = http.post(url, request.body, RetryPolicy.wandb(attempts), null);
    } catch (IOException e) {
      AgentLog.debug("file_stream: " + e);
      return false;
    }
    if (result.status() == 413 && request.historyLines + request.eventLines > 1) {
      // Too large for this server: the same lines go again, fewer per request, at the same offsets.
      requestBudget = Math.max(8192, requestBudget / 2);
      AgentLog.debug("file_stream answered 413; sending at most " + requestBudget + " bytes per request");
      return post(nextRequest(request.complete, request.exitCode));
    }
    if (result.ok()) {
      if (answersStopped(result.body())) {
        // As wandb-core's startProcessingFeedback: the run was stopped from the UI; nothing more goes to it.
        stopped = true;
        dead = true;
        return false;
      }
      requestBudget = Math.min(MAX_REQUEST_BYTES, requestBudget * 2);
      history.subList(0, request.historyLines).clear();
      historyOffset += request.historyLines;
      events.subList(0, request.eventLines).clear();
      eventsOffset += request.eventLines;
      if (request.summary) {
        summary = null;
      }
      return true;
    }
    if (!RetryPolicy.wandb(attempts).retryable(result.status())) {
      dead = true;
      AgentLog.warn("W&B refused the run's history (" + result.describe() + "); no more data goes to this run");
    }
    return false;
  }

  static boolean answersStopped(String body) {
    if (body == null || !body.contains("stopped")) {
      return false;
    }
    try {
      return Boolean.TRUE.equals(Json.parseObject(body).get("stopped"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static long bytes(List<byte[]> lines, int count) {
    long total = 0;
    for (int i = 0; i < count; i++) {
      total += lines.get(i).length + 1;
    }
    return total;
  }

  /**
   * JSON text in, that text as a JSON string out, in UTF-8: {@code Json.write(text).getBytes(UTF_8)} of
   * the whole text (Jackson's escapes, a lone surrogate as {@code ?}), in one pass over the text as
   * it is written, where writing it to a string, escaping that and encoding it were three (with the
   * trace tree inside, the run sink's worker's largest item after the tree itself: JFR, the exporter
   * benchmark). Counts the text's own UTF-8 bytes, for the line limit.
   */
  static final class ElementWriter extends Writer {
    private static final byte[] HEX = JsonBytes.ascii("0123456789ABCDEF");
    /** The ASCII characters a JSON string holds as they are. */
    private static final boolean[] PLAIN = new boolean[0x80];

    static {
      for (char c = 0x20; c < 0x80; c++) {
        PLAIN[c] = c != '"' && c != '\\';
      }
    }

    private byte[] bytes = new byte[8192];
    private int size = 1;
    private char highSurrogate;
    long lineBytes;

    ElementWriter() {
      bytes[0] = '"';
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      room(length * 6L + 8);
      // Most of a line is ASCII that needs no escape: copied here in a tight loop, the rest one by one. A
      // surrogate is only left pending at the end of a write, so the loop need not check for one.
      int end = offset + length;
      int i = offset;
      if (highSurrogate != 0 && i < end) {
        add(chars[i++]);
      }
      byte[] out = bytes;
      int at = size;
      int copied = 0;
      for (; i < end; i++) {
        char c = chars[i];
        if (c < 0x80 && PLAIN[c]) {
          out[at++] = (byte) c;
          copied++;
        } else {
          size = at;
          add(c);
          while (highSurrogate != 0 && i + 1 < end) {
            add(chars[++i]);
          }
          at = size;
        }
      }
      size = at;
      lineBytes += copied;
    }

    @Override
    public void write(String text, int offset, int length) {
      char[] chunk = new char[Math.min(length, 8192)];
      for (int from = offset; from < offset + length; from += chunk.length) {
        int count = Math.min(chunk.length, offset + length - from);
        text.getChars(from, from + count, chunk, 0);
        write(chunk, 0, count);
      }
    }

    @Override
    public void write(int c) {
      room(16);
      add((char) c);
    }

    /** The string, quotes included. */
    byte[] element() {
      room(4);
      lone();
      bytes[size++] = '"';
      return Arrays.copyOf(bytes, size);
    }

    private void add(char c) {
      if (highSurrogate != 0) {
        if (Character.isLowSurrogate(c)) {
          int code = Character.toCodePoint(highSurrogate, c);
          highSurrogate = 0;
          bytes[size++] = (byte) (0xF0 | (code >> 18));
          bytes[size++] = (byte) (0x80 | ((code >> 12) & 0x3F));
          bytes[size++] = (byte) (0x80 | ((code >> 6) & 0x3F));
          bytes[size++] = (byte) (0x80 | (code & 0x3F));
          lineBytes += 4;
          return;
        }
        lone();
      }
      if (c < 0x80) {
        lineBytes++;
        if (c == '"' || c == '\\') {
          bytes[size++] = '\\';
          bytes[size++] = (byte) c;
        } else if (c >= 0x20) {
          bytes[size++] = (byte) c;
        } else {
          escapeControl(c);
        }
      } else if (c < 0x800) {
        lineBytes += 2;
        bytes[size++] = (byte) (0xC0 | (c >> 6));
        bytes[size++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)) {
        highSurrogate = c;
      } else if (Character.isLowSurrogate(c)) {
        lineBytes++;
        bytes[size++] = '?';
      } else {
        lineBytes += 3;
        bytes[size++] = (byte) (0xE0 | (c >> 12));
        bytes[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        bytes[size++] = (byte) (0x80 | (c & 0x3F));
      }
    }

    /** A high surrogate no low one followed: {@code ?}, as {@code String.getBytes} encodes it. */
    private void lone() {
      if (highSurrogate != 0) {
        highSurrogate = 0;
        lineBytes++;
        bytes[size++] = '?';
      }
    }

    /** Jackson's escapes below U+0020: the short ones, else {@code u00} and two upper-case hex digits. */
    private void escapeControl(char c) {
      bytes[size++] = '\\';
      switch (c) {
        case '\b':
          bytes[size++] = 'b';
          break;
        case '\t':
          bytes[size++] = 't';
          break;
        case '\n':
          bytes[size++] = 'n';
          break;
        case '\f':
          bytes[size++] = 'f';
          break;
        case '\r':
          bytes[size++] = 'r';
          break;
        default:
          bytes[size++] = 'u';
          bytes[size++] = '0';
          bytes[size++] = '0';
          bytes[size++] = HEX[c >> 4];
          bytes[size++] = HEX[c & 0xF];
      }
    }

    private void room(long more) {
      if (size + more > bytes.length) {
        long grown = Math.max(bytes.length * 2L, size + more);
        if (grown > Integer.MAX_VALUE - 8) {
          throw new OutOfMemoryError("a file_stream line over 2 GB");
        }
        bytes = Arrays.copyOf(bytes, (int) grown);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static final class Request {
    final byte[] body;
    final int historyLines;
    final int eventLines;
    final boolean summary;
    final boolean complete;
    final int exitCode;

    Request(byte[] body, int historyLines, int eventLines, boolean summary, boolean complete, int exitCode) {
      this.body = body;
      this.historyLines = historyLines;
      this.eventLines = eventLines;
      this.summary = summary;
      this.complete = complete;
      this.exitCode = exitCode;
    }
  }
}
