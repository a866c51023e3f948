package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.GenAiAttributes;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every model span: the request in the API's own shape as inputs ({@code model}, {@code contents},
 * {@code systemInstruction}, {@code tools}, {@code toolConfig}, {@code generationConfig}), the response (a
 * stream folded into one) as outputs, GenAI attributes and usage. Exporter thread only.
 */
final class GenAiRenderer implements SpanRenderer {
  static final GenAiRenderer INSTANCE = new GenAiRenderer();

  /** Config fields the API takes at the top of the request rather than in {@code generationConfig}. */
  private static final Set<String> TOP_LEVEL = new HashSet<String>(Arrays.asList(
      "systemInstruction", "tools", "toolConfig", "safetySettings", "cachedContent", "labels"));
  /** Config fields that stay in the SDK: how it calls (headers, timeouts), not what it asks. */
  private static final Set<String> CLIENT_SIDE = new HashSet<String>(Arrays.asList(
      "httpOptions", "automaticFunctionCalling", "shouldReturnHttpResponse"));

  private static final ClassValue<Method> VERTEX_AI = new ClassValue<Method>() {
    @Override
    protected Method computeValue(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        try {
          Method method = c.getDeclaredMethod("vertexAI");
          method.setAccessible(true);
          return method;
        } catch (Exception e) {
          // keep looking in the super class
        }
      }
      return null;
    }
  };

  @Override
  public void renderStart(Span span) {
    GenAiRequest request = (GenAiRequest) span.request();
    GenAiOperation operation = request.operation;
    span.setAttribute("gen_ai.operation.name", operation.operationName);
    span.setAttribute("gen_ai.provider.name", provider(request.apiClient));
    if (operation.streaming) {
      span.setAttribute("gen_ai.request.stream", Boolean.TRUE);
    }
    Map<String, Object> inputs = inputs(request);
    span.setInputs(inputs);
    Map<String, Object> generation = SdkJson.map(inputs.get("generationConfig"));
    Map<String, Object> params = new LinkedHashMap<String, Object>();
    params.put("model", inputs.get("model"));
    if (generation != null) {
      params.put("temperature", generation.get("temperature"));
      params.put("top_p", generation.get("topP"));
      params.put("top_k", generation.get("topK"));
      params.put("seed", generation.get("seed"));
      params.put("max_output_tokens", generation.get("maxOutputTokens"));
      params.put("frequency_penalty", generation.get("frequencyPenalty"));
      params.put("presence_penalty", generation.get("presencePenalty"));
      params.put("stop", generation.get("stopSequences"));
      span.setAttribute("gen_ai.request.choice.count", generation.get("candidateCount"));
      span.setAttribute("gen_ai.output.type", generation.get("responseMimeType"));
    }
    GenAiAttributes.setRequestAttributes(span, params);
    span.setAttribute("gen_ai.tool.definitions", inputs.get("tools"));
  }

  /** The request as the API gets it: the model without its {@code models/} prefix, the config split as sent. */
  static Map<String, Object> inputs(GenAiRequest request) {
    Map<String, Object> inputs = new LinkedHashMap<String, Object>();
    inputs.put("model", modelId(request.model));
    if (request.operation.isChat()) {
      Object sent = request.sent != null ? request.sent : request.contents;
      inputs.put("contents", SdkJson.tree(sent));
      inputs.put("message", SdkJson.tree(request.contents));
    } else if (request.contents != null) {
      Object contents = SdkJson.tree(request.contents);
      inputs.put("contents", contents instanceof List ? contents : java.util.Collections.singletonList(contents));
    }
    Map<String, Object> config = SdkJson.object(request.config);
    Map<String, Object> generation = new LinkedHashMap<String, Object>();
    for (Map.Entry<String, Object> field : config.entrySet()) {
      if (TOP_LEVEL.contains(field.getKey())) {
        inputs.put(field.getKey(), field.getValue());
      } else if (!CLIENT_SIDE.contains(field.getKey())) {
        generation.put(field.getKey(), field.getValue());
      }
    }
    if (!generation.isEmpty()) {
      inputs.put(request.operation == GenAiOperation.EMBED || request.operation == GenAiOperation.COUNT_TOKENS
          ? "config" : "generationConfig", generation);
    }
    if (request.operation.streaming) {
      inputs.put("stream", Boolean.TRUE);
    }
    return inputs;
  }

  @Override
  public void renderEnd(Span span) {
    if (span.error() != null) {
      span.setAttribute("http.response.status_code", ApiErrors.code(span.error()));
      span.setAttribute("error.type", ApiErrors.status(span.error()));
    }
    Object response = span.response();
    if (response == null) {
      return;
    }
    GenAiOperation operation = ((GenAiRequest) span.request()).operation;
    Map<String, Object> result;
    if (response instanceof ChunkList) {
      ChunkList chunks = (ChunkList) response;
      List<Map<String, Object>> read = new ArrayList<Map<String, Object>>();
      for (Object chunk : chunks.snapshot()) {
        read.add(SdkJson.object(chunk));
      }
      span.setAttribute("wandb.stream.chunks", read.size() + chunks.dropped());
      if (chunks.dropped() > 0) {
        span.setAttribute("wandb.stream.chunks_dropped", chunks.dropped());
      }
      result = StreamFold.fold(read);
    } else {
      result = SdkJson.object(response);
    }
    // The raw HTTP response (its headers) is the SDK's, not the model's answer.
    result.remove("sdkHttpResponse");
    if (operation == GenAiOperation.EMBED) {
      endEmbedding(span, result);
    } else if (operation == GenAiOperation.COUNT_TOKENS) {
      span.setOutputs(result);
    } else {
      endGeneration(span, result);
    }
  }

  private static void endGeneration(Span span, Map<String, Object> response) {
    span.setOutputs(response);
    span.setAttribute("gen_ai.response.id", response.get("responseId"));
    span.setAttribute("gen_ai.response.model", modelId(response.get("modelVersion")));
    List<Object> reasons = new ArrayList<Object>();
    for (Object candidate : SdkJson.list(response.get("candidates"))) {
      Map<String, Object> fields = SdkJson.map(candidate);
      if (fields != null && fields.get("finishReason") != null) {
        reasons.add(fields.get("finishReason"));
      }
    }
    span.setAttribute("gen_ai.response.finish_reasons", reasons.isEmpty() ? null : reasons);
    // Automatic function calling returns the last round's response: its usage is that round's, already
    // on the round's own span; the rounds together are the span's total.
    if (((GenAiRequest) span.request()).operation != GenAiOperation.AUTOMATIC_FUNCTION_CALLING) {
      span.setUsage(GenAiUsage.of(response.get("usageMetadata")));
    }
  }

  /** Vectors are data, not something to read in a trace: each becomes its length. */
  private static void endEmbedding(Span span, Map<String, Object> response) {
    List<Object> embeddings = new ArrayList<Object>();
    long tokens = 0;
    boolean counted = false;
    for (Object embedding : SdkJson.list(response.get("embeddings"))) {
      Map<String, Object> fields = SdkJson.map(embedding);
      if (fields == null) {
        continue;
      }
      Map<String, Object> copy = new LinkedHashMap<String, Object>(fields);
      Object values = copy.remove("values");
      if (values instanceof List) {
        copy.put("dimensions", ((List<?>) values).size());
      }
      Map<String, Object> statistics = SdkJson.map(fields.get("statistics"));
      if (statistics != null && statistics.get("tokenCount") instanceof Number) {
        tokens += ((Number) statistics.get("tokenCount")).longValue();
        counted = true;
      }
      embeddings.add(copy);
    }
    response.put("embeddings", embeddings);
    span.setOutputs(response);
    if (counted) {
      span.setUsage(new ai.wandb.agent.api.Usage(tokens, null, tokens, null, null));
    }
  }

  /** {@code gcp.vertex_ai} for a Vertex AI client, else {@code gcp.gemini} (the Gemini Developer API). */
  static String provider(Object apiClient) {
    if (apiClient != null) {
      Method vertexAi = VERTEX_AI.get(apiClient.getClass());
      try {
        if (vertexAi != null && Boolean.TRUE.equals(vertexAi.invoke(apiClient))) {
          return "gcp.vertex_ai";
        }
      } catch (Exception e) {
        // an unreadable client is the default API
      }
    }
    return "gcp.gemini";
  }

  /** {@code models/gemini-2.5-flash} and {@code publishers/google/models/...} name the model {@code gemini-2.5-flash}. */
  static String modelId(Object model) {
    if (!(model instanceof String)) {
      return null;
    }
    String id = (String) model;
    int slash = id.lastIndexOf("models/");
    return slash >= 0 ? id.substring(slash + "models/".length()) : id;
  }
}
