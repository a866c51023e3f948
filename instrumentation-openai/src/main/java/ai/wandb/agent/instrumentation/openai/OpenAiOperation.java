package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.SpanKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every traced SDK method, by the raw-response service type and method name it is called on, with the
 * span it becomes. Each service type exists in a blocking ({@code services.blocking}) and an async
 * ({@code services.async}, class name ending in {@code AsyncImpl}) form with the same methods.
 */
final class OpenAiOperation {
  enum Family {
    CHAT, RESPONSES, EMBEDDINGS, COMPLETIONS, ASSISTANTS
  }

  /** Service class name (blocking form, without the {@code $WithRawResponseImpl} suffix) → its operations. */
  static final Map<String, List<OpenAiOperation>> BY_SERVICE = new LinkedHashMap<String, List<OpenAiOperation>>();
  /** Raw-response type name → method name → operation: what the advice looks up on each call. */
  private static final Map<String, Map<String, OpenAiOperation>> BY_TYPE =
      new HashMap<String, Map<String, OpenAiOperation>>();

  static {
    String chat = "com.openai.services.blocking.chat.ChatCompletionServiceImpl";
    add(chat, "create", "openai.chat.completions.create", "chat", SpanKind.LLM, Family.CHAT, false);
    add(chat, "createStreaming", "openai.chat.completions.create", "chat", SpanKind.LLM, Family.CHAT, true);
    String responses = "com.openai.services.blocking.ResponseServiceImpl";
    add(responses, "create", "openai.responses.create", "chat", SpanKind.LLM, Family.RESPONSES, false);
    add(responses, "createStreaming", "openai.responses.create", "chat", SpanKind.LLM, Family.RESPONSES, true);
    add(responses, "retrieveStreaming", "openai.responses.retrieve", "chat", SpanKind.LLM, Family.RESPONSES, true);
    add(responses, "compact", "openai.responses.compact", "chat", SpanKind.LLM, Family.RESPONSES, false);
    String embeddings = "com.openai.services.blocking.EmbeddingServiceImpl";
    add(embeddings, "create", "openai.embeddings.create", "embeddings", SpanKind.EMBEDDING, Family.EMBEDDINGS, false);
    String completions = "com.openai.services.blocking.CompletionServiceImpl";
    add(completions, "create", "openai.completions.create", "text_completion", SpanKind.LLM, Family.COMPLETIONS,
        false);
    add(completions, "createStreaming", "openai.completions.create", "text_completion", SpanKind.LLM,
        Family.COMPLETIONS, true);
    // An Assistants run is an agent loop on OpenAI's side (the model, then tools, then the model again, all
    // in one run), not one model call: AGENT, with the run's status and summed usage on the span.
    String threads = "com.openai.services.blocking.beta.ThreadServiceImpl";
    add(threads, "createAndRun", "openai.beta.threads.create_and_run", "invoke_agent", SpanKind.AGENT,
        Family.ASSISTANTS, false);
    add(threads, "createAndRunStreaming", "openai.beta.threads.create_and_run", "invoke_agent", SpanKind.AGENT,
        Family.ASSISTANTS, true);
    String runs = "com.openai.services.blocking.beta.threads.RunServiceImpl";
    add(runs, "create", "openai.beta.threads.runs.create", "invoke_agent", SpanKind.AGENT, Family.ASSISTANTS, false);
    add(runs, "createStreaming", "openai.beta.threads.runs.create", "invoke_agent", SpanKind.AGENT,
        Family.ASSISTANTS, true);
    add(runs, "submitToolOutputs", "openai.beta.threads.runs.submit_tool_outputs", "invoke_agent", SpanKind.AGENT,
        Family.ASSISTANTS, false);
    add(runs, "submitToolOutputsStreaming", "openai.beta.threads.runs.submit_tool_outputs", "invoke_agent",
        SpanKind.AGENT, Family.ASSISTANTS, true);
    // A non-streaming run starts queued; its final status and usage are only seen by polling retrieve.
    add(runs, "retrieve", "openai.beta.threads.runs.retrieve", "invoke_agent", SpanKind.CHAIN, Family.ASSISTANTS,
        false);
  }

  final String spanName;
  final String operationName;
  final SpanKind kind;
  final Family family;
  final boolean streaming;
  final boolean async;
  final String method;

  private OpenAiOperation(String spanName, String operationName, SpanKind kind, Family family, boolean streaming,
      boolean async, String method) {
    this.spanName = spanName;
    this.operationName = operationName;
    this.kind = kind;
    this.family = family;
    this.streaming = streaming;
    this.async = async;
    this.method = method;
  }

  private static void add(String blockingService, String method, String spanName, String operationName,
      SpanKind kind, Family family, boolean streaming) {
    List<OpenAiOperation> operations = BY_SERVICE.get(blockingService);
    if (operations == null) {
      operations = new ArrayList<OpenAiOperation>();
      BY_SERVICE.put(blockingService, operations);
    }
    operations.add(new OpenAiOperation(spanName, operationName, kind, family, streaming, false, method));
    put(rawType(blockingService), new OpenAiOperation(spanName, operationName, kind, family, streaming, false, method));
    put(rawType(asyncService(blockingService)),
        new OpenAiOperation(spanName, operationName, kind, family, streaming, true, method));
  }

  private static void put(String type, OpenAiOperation operation) {
    Map<String, OpenAiOperation> methods = BY_TYPE.get(type);
    if (methods == null) {
      methods = new HashMap<String, OpenAiOperation>();
      BY_TYPE.put(type, methods);
    }
    methods.put(operation.method, operation);
  }

  /** {@code ...blocking.chat.ChatCompletionServiceImpl} → {@code ...async.chat.ChatCompletionServiceAsyncImpl}. */
  static String asyncService(String blockingService) {
    return blockingService.replace(".services.blocking.", ".services.async.").replaceAll("Impl$", "AsyncImpl");
  }

  static String rawType(String service) {
    return service + "$WithRawResponseImpl";
  }

  /** The operation for a raw-response type and method (the advice's {@code @Origin}), or null. */
  static OpenAiOperation of(String type, String method) {
    Map<String, OpenAiOperation> methods = BY_TYPE.get(type);
    return methods == null ? null : methods.get(method);
  }

  static List<String> methodsOf(String blockingService) {
    List<String> names = new ArrayList<String>();
    for (OpenAiOperation operation : BY_SERVICE.get(blockingService)) {
      names.add(operation.method);
    }
    return Collections.unmodifiableList(names);
  }
}
