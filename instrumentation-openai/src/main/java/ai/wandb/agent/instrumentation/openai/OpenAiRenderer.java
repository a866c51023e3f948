package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.GenAiAttributes;
import ai.wandb.agent.api.Providers;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Usage;
import ai.wandb.agent.api.stainless.ChunkLog;
import ai.wandb.agent.api.stainless.StainlessWireJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every OpenAI span: the request as sent as inputs, the result (or the stream folded into one) as
 * outputs, GenAI attributes and usage. Exporter thread only; reads SDK objects as wire JSON.
 */
final class OpenAiRenderer implements SpanRenderer {
  /** Path parameters some calls carry outside the body (the thread, run or response they address). */
  private static final String[][] PATH_PARAMS = {
      {"threadId", "thread_id"}, {"runId", "run_id"}, {"responseId", "response_id"}};
  static final OpenAiRenderer INSTANCE =
      new OpenAiRenderer(new StainlessWireJson(OpenAiInstrumentationModule.SDK, PATH_PARAMS));

  private final StainlessWireJson wire;

  OpenAiRenderer(StainlessWireJson wire) {
    this.wire = wire;
  }

  @Override
  public void renderStart(Span span) {
    OpenAiRequest request = (OpenAiRequest) span.request();
    OpenAiOperation operation = request.operation;
    span.setAttribute("gen_ai.operation.name", operation.operationName);
    span.setAttribute("gen_ai.provider.name", Providers.fromBaseUrl(wire.baseUrl(request.clientOptions)));
    if (operation.streaming) {
      span.setAttribute("gen_ai.request.stream", Boolean.TRUE);
    }
    if (request.usageAdded) {
      span.setAttribute("wandb.stream.usage_requested_by_agent", Boolean.TRUE);
    }
    Map<String, Object> body;
    try {
      body = wire.body(request.params);
    } catch (Exception e) {
      span.setAttribute("wandb.render_error", "request: " + e);
      AgentLog.debug("could not read the request of " + span + ": " + e);
      return;
    }
    if (operation.streaming && !body.containsKey("response_id")) {
      body.put("stream", Boolean.TRUE);
    }
    span.setInputs(body);
    GenAiAttributes.setRequestAttributes(span, body);
    span.setAttribute("gen_ai.request.encoding_formats", body.get("encoding_format") == null ? null
        : Collections.singletonList(body.get("encoding_format")));
    span.setAttribute("gen_ai.request.tool_choice", body.get("tool_choice"));
    span.setAttribute("gen_ai.tool.definitions", body.get("tools"));
    Map<String, Object> text = StreamFolds.map(body.get("text"));
    span.setAttribute("gen_ai.request.response_format",
        body.get("response_format") != null ? body.get("response_format") : text == null ? null : text.get("format"));
    span.setAttribute("openai.assistant.id", body.get("assistant_id"));
    span.setAttribute("openai.thread.id", body.get("thread_id"));
  }

  @Override
  public void renderEnd(Span span) {
    if (span.error() != null) {
      span.setAttribute("http.response.status_code", wire.statusCode(span.error()));
    }
    Object response = span.response();
    if (response == null) {
      return;
    }
    OpenAiOperation operation = ((OpenAiRequest) span.request()).operation;
    Map<String, Object> result;
    try {
      result = response instanceof ChunkLog ? fold(operation, span, (ChunkLog) response) : wire.object(response);
    } catch (Exception e) {
      span.setAttribute("wandb.render_error", "response: " + e);
      AgentLog.debug("could not read the response of " + span + ": " + e);
      return;
    }
    switch (operation.family) {
      case EMBEDDINGS:
        endEmbeddings(span, result);
        break;
      case RESPONSES:
        endResponse(span, result);
        break;
      case ASSISTANTS:
        endRun(span, result);
        break;
      default:
        endCompletion(span, result);
    }
  }

  private Map<String, Object> fold(OpenAiOperation operation, Span span, ChunkLog log) throws Exception {
    List<Map<String, Object>> chunks = new ArrayList<Map<String, Object>>();
    for (Object message : log.snapshot()) {
      chunks.add(wire.sseMessage(message, operation.family == OpenAiOperation.Family.ASSISTANTS));
    }
    span.setAttribute("wandb.stream.chunks", chunks.size() + log.dropped());
    if (log.dropped() > 0) {
      span.setAttribute("wandb.stream.chunks_dropped", log.dropped());
    }
    switch (operation.family) {
      case RESPONSES:
        return StreamFolds.response(chunks);
      case ASSISTANTS:
        return StreamFolds.assistantRun(chunks);
      case COMPLETIONS:
        return StreamFolds.completion(chunks);
      default:
        return StreamFolds.chat(chunks);
    }
  }

  private static void endCompletion(Span span, Map<String, Object> completion) {
    span.setOutputs(completion);
    span.setAttribute("gen_ai.response.id", completion.get("id"));
    span.setAttribute("gen_ai.response.model", completion.get("model"));
    List<Object> reasons = new ArrayList<Object>();
    for (Map<String, Object> choice : StreamFolds.maps(completion.get("choices"))) {
      if (choice.get("finish_reason") != null) {
        reasons.add(choice.get("finish_reason"));
      }
    }
    span.setAttribute("gen_ai.response.finish_reasons", reasons.isEmpty() ? null : reasons);
    span.setUsage(chatUsage(completion.get("usage")));
  }

  private static void endResponse(Span span, Map<String, Object> response) {
    span.setOutputs(response);
    span.setAttribute("gen_ai.response.id", response.get("id"));
    span.setAttribute("gen_ai.response.model", response.get("model"));
    Map<String, Object> incomplete = StreamFolds.map(response.get("incomplete_details"));
    Object reason = incomplete != null && incomplete.get("reason") != null ? incomplete.get("reason")
        : response.get("status");
    span.setAttribute("gen_ai.response.finish_reasons", reason == null ? null : Collections.singletonList(reason));
    Map<String, Object> usage = StreamFolds.map(response.get("usage"));
    if (usage != null) {
      span.setUsage(new Usage(number(usage.get("input_tokens")), number(usage.get("output_tokens")),
          number(usage.get("total_tokens")), number(nested(usage, "input_tokens_details", "cached_tokens")),
          number(nested(usage, "output_tokens_details", "reasoning_tokens"))));
    }
  }

  /** Vectors are data, not something to read in a trace: each becomes its length, whatever its encoding. */
  private static void endEmbeddings(Span span, Map<String, Object> response) {
    Map<String, Object> out = new LinkedHashMap<String, Object>(response);
    List<Object> data = new ArrayList<Object>();
    for (Map<String, Object> item : StreamFolds.maps(response.get("data"))) {
      Map<String, Object> copy = new LinkedHashMap<String, Object>(item);
      Object embedding = copy.remove("embedding");
      if (embedding instanceof List) {
        copy.put("dimensions", ((List<?>) embedding).size());
      } else if (embedding instanceof String) {
        copy.put("dimensions", base64Floats((String) embedding));
      }
      data.add(copy);
    }
    out.put("data", data);
    span.setOutputs(out);
    span.setAttribute("gen_ai.response.model", response.get("model"));
    span.setUsage(chatUsage(response.get("usage")));
  }

  /**
   * The number of float32 values in a base64 vector ({@code encoding_format: "base64"}, the default of
   * openai-java 4.x): decoded bytes over four, from the length and padding alone.
   */
  static int base64Floats(String base64) {
    int length = base64.length();
    int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
    return (length / 4 * 3 + (length % 4 == 0 ? 0 : length % 4 - 1) - padding) / 4;
  }

  /** A run's state: its status is the finish reason, and its usage is the sum over the run's model calls. */
  private static void endRun(Span span, Map<String, Object> result) {
    Map<String, Object> run = result.containsKey("run") ? StreamFolds.map(result.get("run")) : result;
    span.setOutputs(result);
    if (run == null) {
      return;
    }
    span.setAttribute("gen_ai.response.id", run.get("id"));
    span.setAttribute("gen_ai.response.model", run.get("model"));
    span.setAttribute("gen_ai.request.model", run.get("model"));
    span.setAttribute("openai.assistant.id", run.get("assistant_id"));
    span.setAttribute("openai.thread.id", run.get("thread_id"));
    span.setAttribute("openai.run.status", run.get("status"));
    span.setAttribute("gen_ai.response.finish_reasons",
        run.get("status") == null ? null : Collections.singletonList(run.get("status")));
    span.setUsage(chatUsage(run.get("usage")));
  }

  /** Chat-style usage ({@code prompt_tokens}, {@code completion_tokens} and their details). */
  static Usage chatUsage(Object usage) {
    if (!(usage instanceof Map)) {
      return null;
    }
    Map<?, ?> map = (Map<?, ?>) usage;
    return new Usage(number(map.get("prompt_tokens")), number(map.get("completion_tokens")),
        number(map.get("total_tokens")), number(nested(map, "prompt_tokens_details", "cached_tokens")),
        number(nested(map, "completion_tokens_details", "reasoning_tokens")));
  }

  private static Object nested(Map<?, ?> map, String outer, String inner) {
    Object details = map.get(outer);
    return details instanceof Map ? ((Map<?, ?>) details).get(inner) : null;
  }

  private static Long number(Object value) {
    return value instanceof Number ? Long.valueOf(((Number) value).longValue()) : null;
  }
}
