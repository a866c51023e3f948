package ai.wandb.agent.instrumentation.anthropic;

import ai.wandb.agent.api.SpanKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every traced anthropic-java method, by the raw-response service type and method name it is called on,
 * with the span it becomes. Each service exists in a blocking ({@code services.blocking}) and an async
 * ({@code services.async}, class name ending in {@code AsyncImpl}) form with the same methods, and in
 * 2.x and 3.x alike.
 */
final class AnthropicOperation {
  enum Family {
    MESSAGES, COUNT_TOKENS, BATCHES
  }

  /** Service class name (blocking form, without the {@code $WithRawResponseImpl} suffix) → its methods. */
  static final Map<String, List<String>> BY_SERVICE = new LinkedHashMap<String, List<String>>();
  /** Raw-response type name → method name → operation: what the advice looks up on each call. */
  private static final Map<String, Map<String, AnthropicOperation>> BY_TYPE =
      new HashMap<String, Map<String, AnthropicOperation>>();

  static {
    messages("com.anthropic.services.blocking.MessageServiceImpl", "anthropic.messages");
    messages("com.anthropic.services.blocking.beta.MessageServiceImpl", "anthropic.beta.messages");
    batches("com.anthropic.services.blocking.messages.BatchServiceImpl", "anthropic.messages.batches");
    batches("com.anthropic.services.blocking.beta.messages.BatchServiceImpl", "anthropic.beta.messages.batches");
  }

  final String spanName;
  final String operationName;
  final SpanKind kind;
  final Family family;
  final boolean streaming;
  final String method;

  private AnthropicOperation(String spanName, String operationName, SpanKind kind, Family family,
      boolean streaming, String method) {
    this.spanName = spanName;
    this.operationName = operationName;
    this.kind = kind;
    this.family = family;
    this.streaming = streaming;
    this.method = method;
  }

  private static void messages(String service, String prefix) {
    add(service, "create", new AnthropicOperation(prefix + ".create", "chat", SpanKind.LLM, Family.MESSAGES,
        false, "create"));
    add(service, "createStreaming", new AnthropicOperation(prefix + ".create", "chat", SpanKind.LLM,
        Family.MESSAGES, true, "createStreaming"));
    // Counting tokens runs no model: a step of the app's own, not an LLM call with usage.
    add(service, "countTokens", new AnthropicOperation(prefix + ".count_tokens", null, SpanKind.CHAIN,
        Family.COUNT_TOKENS, false, "countTokens"));
  }

  /** A batch is queued work that ends long after the call: its create and its polls are steps, not model calls. */
  private static void batches(String service, String prefix) {
    add(service, "create", new AnthropicOperation(prefix + ".create", null, SpanKind.CHAIN, Family.BATCHES,
        false, "create"));
    add(service, "retrieve", new AnthropicOperation(prefix + ".retrieve", null, SpanKind.CHAIN, Family.BATCHES,
        false, "retrieve"));
  }

  private static void add(String blockingService, String method, AnthropicOperation operation) {
    List<String> methods = BY_SERVICE.get(blockingService);
    if (methods == null) {
      methods = new ArrayList<String>();
      BY_SERVICE.put(blockingService, methods);
    }
    methods.add(method);
    put(rawType(blockingService), operation);
    put(rawType(asyncService(blockingService)), operation);
  }

  private static void put(String type, AnthropicOperation operation) {
    Map<String, AnthropicOperation> methods = BY_TYPE.get(type);
    if (methods == null) {
      methods = new HashMap<String, AnthropicOperation>();
      BY_TYPE.put(type, methods);
    }
    methods.put(operation.method, operation);
  }

  /** {@code ...blocking.MessageServiceImpl} → {@code ...async.MessageServiceAsyncImpl}. */
  static String asyncService(String blockingService) {
    return blockingService.replace(".services.blocking.", ".services.async.").replaceAll("Impl$", "AsyncImpl");
  }

  static String rawType(String service) {
    return service + "$WithRawResponseImpl";
  }

  /** The operation for a raw-response type and method, or null. */
  static AnthropicOperation of(String type, String method) {
    Map<String, AnthropicOperation> methods = BY_TYPE.get(type);
    return methods == null ? null : methods.get(method);
  }
}
