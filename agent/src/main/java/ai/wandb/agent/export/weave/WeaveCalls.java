package ai.wandb.agent.export.weave;

import ai.wandb.agent.api.CountedUsage;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.api.Usage;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * A span as Weave call fields ({@code reference/weave-api.md} 3.2, 3.3, 6): the start with inputs and
 * frozen attributes, the end with output, exception and summary. Summary usage is keyed by the
 * response model and uses one token family only (the one the provider answered with), so the server
 * does not count tokens twice when pricing; a parent's usage sums its subtree's model calls, each once.
 */
public final class WeaveCalls {
  static final int MAX_OP_NAME = 128;
  static final int MAX_DISPLAY_NAME = 1024;
  private static final int MAX_TRACEBACK = 30;
  static final int MAX_THREAD_ID = 128;
  static final String CONVERSATION_ID = "gen_ai.conversation.id";

  private final Map<String, Object> agentAttributes;

  public WeaveCalls(String agentVersion) {
    Map<String, Object> weave = new LinkedHashMap<String, Object>();
    weave.put("client_version", agentVersion);
    weave.put("source", "wandb-agent-java");
    weave.put("sys_version", "java " + System.getProperty("java.version"));
    weave.put("os_name", System.getProperty("os.name"));
    // Python's platform.release() is the kernel release (Java's os.version); platform.version() its build.
    weave.put("os_version", osBuild());
    weave.put("os_release", System.getProperty("os.version"));
    Map<String, Object> integration = new LinkedHashMap<String, Object>();
    integration.put("name", "wandb-agent");
    integration.put("version", agentVersion);
    this.agentAttributes = new LinkedHashMap<String, Object>();
    agentAttributes.put("weave", weave);
    agentAttributes.put("integration", integration);
  }

  /** The fields with {@code project_id} set, which is known only once the entity is. */
  public static Map<String, Object> inProject(Map<String, Object> fields, String projectId) {
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    out.put("project_id", projectId);
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      out.put(field.getKey(), field.getValue());
    }
    return out;
  }

  /** {@code StartedCallSchemaForInsert} without {@code project_id}; the span's inputs must have been rendered. */
  public Map<String, Object> start(Span span) {
    Map<String, Object> start = new LinkedHashMap<String, Object>();
    start.put("id", WeaveIds.callId(span));
    start.put("op_name", truncate(span.name(), MAX_OP_NAME));
    start.put("display_name", truncate(displayName(span), MAX_DISPLAY_NAME));
    start.put("trace_id", WeaveIds.traceId(span));
    start.put("parent_id", WeaveIds.parentCallId(span));
    start.put("started_at", timestamp(span.startEpochNanos()));
    start.put("attributes", attributes(span));
    start.put("inputs", inputs(span.inputs()));
    Span turn = turn(span);
    if (turn != null) {
      start.put("thread_id", truncate(String.valueOf(turn.attributes().get(CONVERSATION_ID)), MAX_THREAD_ID));
      start.put("turn_id", WeaveIds.callId(turn));
    }
    return start;
  }

  /**
   * The outermost span of the call's trace path that names a conversation ({@code gen_ai.conversation.id},
   * e.g. a LangChain4j memory id): its call is the turn, every call under it is in the turn's thread.
   */
  static Span turn(Span span) {
    Span turn = null;
    for (Span at = span; at != null; at = at.parent()) {
      if (at.attributes().get(CONVERSATION_ID) != null) {
        turn = at;
      }
    }
    return turn;
  }

  /** {@code EndedCallSchemaForInsert} without {@code project_id}; the whole tree under the span must have been rendered. */
  public Map<String, Object> end(Span span) {
    Map<String, Object> end = new LinkedHashMap<String, Object>();
    end.put("id", WeaveIds.callId(span));
    end.put("ended_at", timestamp(span.endEpochNanos()));
    end.put("exception", exception(span));
    end.put("output", span.outputs());
    end.put("summary", summary(span));
    return end;
  }

  /** A completed call for the v2 path: the start and end fields in one object. */
  public static Map<String, Object> complete(Map<String, Object> start, Map<String, Object> end) {
    Map<String, Object> call = new LinkedHashMap<String, Object>(start);
    for (Map.Entry<String, Object> field : end.entrySet()) {
      call.put(field.getKey(), field.getValue());
    }
    return call;
  }

  /** {@code <operation> <model>} as GenAI spans are named (e.g. {@code chat gpt-4o-mini}), else the span name. */
  static String displayName(Span span) {
    Object operation = span.attributes().get("gen_ai.operation.name");
    Object model = span.attributes().get("gen_ai.request.model");
    return operation != null && model != null ? operation + " " + model : span.name();
  }

  private Map<String, Object> attributes(Span span) {
    Map<String, Object> attributes = new LinkedHashMap<String, Object>();
    for (Map.Entry<String, Object> entry : agentAttributes.entrySet()) {
      attributes.put(entry.getKey(), entry.getValue());
    }
    String kind = weaveKind(span.kind());
    if (kind != null) {
      Map<String, Object> weave = new LinkedHashMap<String, Object>(map(attributes.get("weave")));
      weave.put("kind", kind);
      attributes.put("weave", weave);
    }
    attributes.put("span_kind", span.kind().name());
    for (Map.Entry<String, Object> entry : span.attributes().entrySet()) {
      attributes.put(entry.getKey(), entry.getValue());
    }
    return attributes;
  }

  /** The UI's call icons: agent, llm, tool, search. */
  static String weaveKind(SpanKind kind) {
    switch (kind) {
      case AGENT:
        return "agent";
      case LLM:
      case EMBEDDING:
        return "llm";
      case TOOL:
        return "tool";
      case RETRIEVER:
        return "search";
      default:
        return null;
    }
  }

  private static Map<String, Object> inputs(Object inputs) {
    if (inputs instanceof Map) {
      @SuppressWarnings("unchecked") // rendered JSON objects
      Map<String, Object> map = (Map<String, Object>) inputs;
      return map;
    }
    Map<String, Object> wrapped = new LinkedHashMap<String, Object>();
    if (inputs != null) {
      wrapped.put("input", inputs);
    }
    return wrapped;
  }

  /** The Python SDK's exception string: JSON of {@code {type, message, traceback}}. */
  static String exception(Span span) {
    if (span.status() == SpanStatus.OK) {
      return null;
    }
    Map<String, Object> error = span.errorJson();
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    Object type = error.get("type");
    // The Python SDK's type(exc).__name__; the class's full name beside it.
    out.put("type", type == null ? null : type.toString().substring(type.toString().lastIndexOf('.') + 1));
    out.put("qualified_type", type);
    out.put("message", error.get("message"));
    List<Object> traceback = new ArrayList<Object>();
    Throwable throwable = span.error();
    if (throwable != null) {
      StackTraceElement[] frames = throwable.getStackTrace();
      for (int i = 0; i < frames.length && i < MAX_TRACEBACK; i++) {
        Map<String, Object> frame = new LinkedHashMap<String, Object>();
        frame.put("filename", frames[i].getFileName());
        frame.put("line_number", frames[i].getLineNumber());
        frame.put("function_name", frames[i].getClassName() + "." + frames[i].getMethodName());
        frame.put("text", frames[i].toString());
        traceback.add(frame);
      }
    }
    out.put("traceback", traceback);
    return Json.write(out);
  }

  /**
   * {@code usage} by response model over the subtree's model calls, each counted once (the innermost
   * span with usage, {@link CountedUsage}), and {@code status_counts} of the subtree.
   */
  static Map<String, Object> summary(Span span) {
    Map<String, Object> usage = new LinkedHashMap<String, Object>();
    for (Span counted : CountedUsage.countedSpans(span)) {
      addUsage(counted, usage);
    }
    long[] counts = new long[2];
    countStatus(span, counts);
    Map<String, Object> summary = new LinkedHashMap<String, Object>();
    if (!usage.isEmpty()) {
      summary.put("usage", usage);
    }
    Map<String, Object> statusCounts = new LinkedHashMap<String, Object>();
    statusCounts.put("success", counts[0]);
    statusCounts.put("error", counts[1]);
    summary.put("status_counts", statusCounts);
    return summary;
  }

  private static void countStatus(Span span, long[] counts) {
    counts[span.status() == SpanStatus.OK ? 0 : 1]++;
    for (Span child : span.children()) {
      countStatus(child, counts);
    }
  }

  private static void addUsage(Span span, Map<String, Object> usage) {
    Usage own = span.usage();
    String model = model(span);
    Map<String, Object> sum = new LinkedHashMap<String, Object>(map(usage.get(model)));
    add(sum, "requests", 1L);
    boolean responsesFamily = usesInputOutputTokens(span.outputs());
    if (usesCacheTokenKeys(span.outputs())) {
      // Anthropic's own keys, as its SDKs report them: input_tokens leaves out the cache's tokens, which
      // Anthropic prices apart; the span's input_tokens (OpenAI's convention) includes them.
      Long cacheRead = own.cachedInputTokens();
      Long cacheCreation = own.cacheCreationInputTokens();
      add(sum, "input_tokens", own.inputTokens() == null ? null
          : own.inputTokens() - (cacheRead == null ? 0 : cacheRead) - (cacheCreation == null ? 0 : cacheCreation));
      add(sum, "output_tokens", own.outputTokens());
      add(sum, "cache_creation_input_tokens", cacheCreation);
      add(sum, "cache_read_input_tokens", cacheRead);
      add(sum, "total_tokens", own.totalTokens());
      usage.put(model, sum);
      return;
    }
    add(sum, responsesFamily ? "input_tokens" : "prompt_tokens", own.inputTokens());
    add(sum, responsesFamily ? "output_tokens" : "completion_tokens", own.outputTokens());
    add(sum, "total_tokens", own.totalTokens());
    usage.put(model, sum);
  }

  /**
   * The end of a call whose JVM exited before it ended: at {@code lastHeardMillis} (not before its
   * start), with an error saying so, since its real outcome is unknown.
   */
  static Map<String, Object> abandonedEnd(Map<String, Object> start, long lastHeardMillis) {
    Map<String, Object> end = new LinkedHashMap<String, Object>();
    end.put("id", start.get("id"));
    String heard = timestamp(lastHeardMillis * 1000000L);
    String started = (String) start.get("started_at");
    end.put("ended_at", started != null && started.compareTo(heard) > 0 ? started : heard);
    Map<String, Object> error = new LinkedHashMap<String, Object>();
    error.put("type", "ProcessExited");
    error.put("message", "the JVM exited before this call ended; it was last heard from at " + end.get("ended_at"));
    error.put("traceback", new ArrayList<Object>());
    end.put("exception", Json.write(error));
    end.put("output", null);
    Map<String, Object> statusCounts = new LinkedHashMap<String, Object>();
    statusCounts.put("success", 0L);
    statusCounts.put("error", 1L);
    Map<String, Object> summary = new LinkedHashMap<String, Object>();
    summary.put("status_counts", statusCounts);
    end.put("summary", summary);
    return end;
  }

  /** Python's {@code platform.version()}: the kernel's build string where Linux says it, else the OS version. */
  private static String osBuild() {
    try {
      byte[] bytes = java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("/proc/sys/kernel/version"));
      String build = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).trim();
      return build.isEmpty() ? System.getProperty("os.version") : build;
    } catch (java.io.IOException | RuntimeException e) {
      return System.getProperty("os.version");
    }
  }

  private static String model(Span span) {
    Object response = span.attributes().get("gen_ai.response.model");
    Object request = span.attributes().get("gen_ai.request.model");
    return response != null ? response.toString() : request != null ? request.toString() : span.name();
  }

  /** True when the provider's own usage object speaks {@code input_tokens} (Responses API, Anthropic). */
  private static boolean usesInputOutputTokens(Object outputs) {
    if (!(outputs instanceof Map)) {
      return false;
    }
    Object usage = ((Map<?, ?>) outputs).get("usage");
    return usage instanceof Map && ((Map<?, ?>) usage).containsKey("input_tokens");
  }

  /** True when the provider's usage object has Anthropic's prompt-cache keys. */
  private static boolean usesCacheTokenKeys(Object outputs) {
    if (!(outputs instanceof Map)) {
      return false;
    }
    Object usage = ((Map<?, ?>) outputs).get("usage");
    return usage instanceof Map && (((Map<?, ?>) usage).containsKey("cache_read_input_tokens")
        || ((Map<?, ?>) usage).containsKey("cache_creation_input_tokens"));
  }

  private static void add(Map<String, Object> sum, String key, Long value) {
    if (value == null) {
      return;
    }
    Object previous = sum.get(key);
    sum.put(key, (previous instanceof Number ? ((Number) previous).longValue() : 0L) + value);
  }

  @SuppressWarnings("unchecked") // maps this class built
  private static Map<String, Object> map(Object value) {
    return value instanceof Map ? (Map<String, Object>) value : new LinkedHashMap<String, Object>();
  }

  /** RFC 3339 in UTC with microseconds, as the Python SDK sends. */
  static String timestamp(long epochNanos) {
    // Three per span: a new SimpleDateFormat and String.format each time were a tenth of the exporter
    // thread's samples for Weave (JFR, the exporter benchmark); the spans of a second share its text.
    long second = Math.floorDiv(epochNanos, 1000000000L);
    Second cached = lastSecond;
    if (cached == null || cached.epochSecond != second) {
      SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);
      format.setTimeZone(TimeZone.getTimeZone("UTC"));
      cached = new Second(second, format.format(new Date(second * 1000L)));
      lastSecond = cached;
    }
    long micros = Math.floorMod(epochNanos, 1000000000L) / 1000L;
    char[] fraction = {'.', '0', '0', '0', '0', '0', '0', 'Z'};
    for (int i = 6; i >= 1; i--, micros /= 10) {
      fraction[i] = (char) ('0' + micros % 10);
    }
    return cached.text + new String(fraction);
  }

  private static volatile Second lastSecond;

  /** One second's {@code yyyy-MM-dd'T'HH:mm:ss} in UTC. */
  private static final class Second {
    final long epochSecond;
    final String text;

    Second(long epochSecond, String text) {
      this.epochSecond = epochSecond;
      this.text = text;
    }
  }

  private static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
