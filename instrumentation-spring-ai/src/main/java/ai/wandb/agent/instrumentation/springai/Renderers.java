package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.CapturedValues;
import ai.wandb.agent.api.GenAiAttributes;
import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The renderers of the module's spans; they run on the exporter thread and read Spring AI by reflection. */
final class Renderers {
  static final SpanRenderer CHAT_CLIENT = new ChatClientRenderer();
  static final SpanRenderer ADVISOR = new AdvisorRenderer();
  static final SpanRenderer CHAT = new ChatRenderer();
  static final SpanRenderer CHAT_MODEL = new ChatModelRenderer();
  static final SpanRenderer TOOL = new ToolRenderer();
  static final SpanRenderer RETRIEVER = new RetrieverRenderer();
  static final SpanRenderer EMBEDDING = new EmbeddingRenderer();

  private static final Reflect.PrivateField SPEC_REQUEST = new Reflect.PrivateField("request");

  private Renderers() {}

  /** JSON values and containers as trees, anything else (an app's entity, a record) as its {@code toString()}. */
  static Object value(Object value) {
    if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String
        || value instanceof Map || value instanceof java.util.Collection || value instanceof Object[]) {
      return CapturedValues.tree(value);
    }
    return CapturedValues.text(value.toString());
  }

  /** A ChatClientRequest: the prompt (messages after templating, options, tools) and the advisor context. */
  static Map<String, Object> chatClientRequest(Object request) {
    Map<String, Object> body = Messages.request(Reflect.call(request, "prompt"), null);
    Object context = Reflect.call(request, "context");
    if (context instanceof Map && !((Map<?, ?>) context).isEmpty()) {
      body.put("context", CapturedValues.tree(context));
    }
    return body;
  }

  /** A ChatResponse, ChatClientResponse or ResponseEntity as a completion; null for anything else. */
  static Map<String, Object> anyCompletion(Object value) {
    if (value == null) {
      return null;
    }
    String type = value.getClass().getName();
    if (type.endsWith(".ChatClientResponse")) {
      return anyCompletion(Reflect.call(value, "chatResponse"));
    }
    if (type.endsWith(".ResponseEntity")) {
      Map<String, Object> out = new LinkedHashMap<String, Object>();
      out.put("entity", value(Reflect.call(value, "entity")));
      Messages.putIfPresent(out, "response", anyCompletion(Reflect.call(value, "response")));
      return out;
    }
    if (type.endsWith(".ChatResponse")) {
      return Messages.completion(value, Messages.usageOf(value));
    }
    return null;
  }

  /**
   * What a ChatClient stream method emitted, from the items its span kept: ChatClientResponses where the
   * span observed the library's own Flux under the method's steps (see FluxScope.observeChatClient), of
   * which {@code content()} emits the non-empty texts and {@code chatResponse()} the ChatResponses; items
   * already of the method's type stay as they are.
   */
  static List<Object> asEmitted(String method, List<Object> items) {
    if ("chatClientResponse".equals(method)) {
      return items;
    }
    List<Object> emitted = new ArrayList<Object>(items.size());
    for (Object item : items) {
      if (item == null || !item.getClass().getName().endsWith(".ChatClientResponse")) {
        emitted.add(item);
        continue;
      }
      Object value = "content".equals(method) ? contentText(item) : Reflect.call(item, "chatResponse");
      if (value != null) {
        emitted.add(value);
      }
    }
    return emitted;
  }

  /** The text {@code content()} emits for a ChatClientResponse: null where it emits none (no or empty text). */
  static String contentText(Object chatClientResponse) {
    Object output = Reflect.call(Reflect.call(Reflect.call(chatClientResponse, "chatResponse"), "getResult"),
        "getOutput");
    String text = Reflect.string(output, "getText");
    return text == null || text.isEmpty() ? null : text;
  }

  /**
   * A stream's items folded into one completion (ChatResponses) or one text (content()). {@code merged}
   * is the response a round trip handed to the tool manager (or null): it gives what the emitted items
   * lack (1.x never emits the tool calls it merged; 2.x's aggregate repeats the text that was emitted).
   */
  static Map<String, Object> foldedCompletion(List<Object> items, Object merged, Object previous, Usage[] usageOut) {
    StringBuilder text = new StringBuilder();
    List<Object> toolCalls = new ArrayList<Object>();
    String finishReason = null;
    Object last = null;
    Usage usage = null;
    for (Object item : items) {
      if (item instanceof CharSequence) {
        text.append(item);
        continue;
      }
      Object response = item.getClass().getName().endsWith(".ChatClientResponse")
          ? Reflect.call(item, "chatResponse") : item;
      if (response == null) {
        continue;
      }
      last = response;
      Object generation = Reflect.call(response, "getResult");
      Object output = Reflect.call(generation, "getOutput");
      String piece = Reflect.string(output, "getText");
      if (piece != null) {
        text.append(piece);
      }
      toolCalls.addAll(Messages.toolCalls(Reflect.call(output, "getToolCalls")));
      String reason = Messages.finishReason(generation);
      if (reason != null) {
        finishReason = reason;
      }
      Usage chunkUsage = Messages.usage(response, previous);
      if (chunkUsage != null) {
        usage = chunkUsage;
      }
    }
    if (merged != null) {
      Object generation = Reflect.call(merged, "getResult");
      Object output = Reflect.call(generation, "getOutput");
      String mergedText = Reflect.string(output, "getText");
      if (text.length() == 0 && mergedText != null) {
        text.append(mergedText);
      }
      if (toolCalls.isEmpty()) {
        toolCalls.addAll(Messages.toolCalls(Reflect.call(output, "getToolCalls")));
      }
      String reason = Messages.finishReason(generation);
      if (finishReason == null && reason != null) {
        finishReason = reason;
      }
      Usage mergedUsage = Messages.usage(merged, previous);
      if (usage == null && mergedUsage != null) {
        usage = mergedUsage;
      }
      if (last == null) {
        last = merged;
      }
    }
    Map<String, Object> message = new LinkedHashMap<String, Object>();
    message.put("role", "assistant");
    message.put("content", text.toString());
    if (!toolCalls.isEmpty()) {
      message.put("tool_calls", toolCalls);
    }
    Map<String, Object> choice = new LinkedHashMap<String, Object>();
    choice.put("index", 0);
    choice.put("message", message);
    choice.put("finish_reason", finishReason);
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    Object metadata = Reflect.call(last, "getMetadata");
    String id = Reflect.string(metadata, "getId");
    String model = Reflect.string(metadata, "getModel");
    if (id != null && !id.isEmpty()) {
      out.put("id", id);
    }
    if (model != null && !model.isEmpty()) {
      out.put("model", model);
    }
    out.put("choices", Collections.singletonList(choice));
    if (usage != null) {
      Map<String, Object> usageJson = new LinkedHashMap<String, Object>();
      Messages.putIfPresent(usageJson, "prompt_tokens", usage.inputTokens());
      Messages.putIfPresent(usageJson, "completion_tokens", usage.outputTokens());
      Messages.putIfPresent(usageJson, "total_tokens", usage.totalTokens());
      out.put("usage", usageJson);
    }
    usageOut[0] = usage;
    return out;
  }

  static final class ChatClientRenderer implements SpanRenderer {
    @Override
    public void renderStart(Span span) {
      Calls.ChatClient call = (Calls.ChatClient) span.request();
      Map<String, Object> inputs = chatClientRequest(SPEC_REQUEST.read(call.spec));
      inputs.put("method", (call.stream != null ? "stream()." : "call().") + call.method);
      if (call.args.length > 0 && call.args[0] != null) {
        Object target = call.args[0];
        inputs.put("entity_type", target instanceof Class ? ((Class<?>) target).getName() : String.valueOf(target));
      }
      span.setInputs(inputs);
      span.setAttribute("gen_ai.operation.name", "invoke_agent");
      span.setAttribute("gen_ai.provider.name", "spring_ai");
    }

    @Override
    public void renderEnd(Span span) {
      Calls.ChatClient call = (Calls.ChatClient) span.request();
      if (call.stream != null) {
        List<Object> items = asEmitted(call.method, call.stream.items());
        Map<String, Object> folded = foldedCompletion(items, null, null, new Usage[1]);
        span.setOutputs(folded);
        span.setAttribute("wandb.stream.chunks", items.size());
        return;
      }
      Object result = span.response();
      Map<String, Object> completion = anyCompletion(result);
      if (completion != null) {
        span.setOutputs(completion);
      } else if (result instanceof String) {
        span.setOutputs(Collections.singletonMap("content", result));
      } else if (result != null) {
        span.setOutputs(Collections.singletonMap("entity", value(result)));
      }
    }
  }

  static final class AdvisorRenderer implements SpanRenderer {
    @Override
    public void renderStart(Span span) {
      Calls.Advisor call = (Calls.Advisor) span.request();
      span.setInputs(chatClientRequest(call.request));
      span.setAttribute("spring_ai.advisor.class", call.advisor.getClass().getName());
      Object order = Reflect.call(call.advisor, "getOrder");
      span.setAttribute("spring_ai.advisor.order", order);
    }

    /** Outputs: the request handed on, the messages it has that the request got had not, and the response. */
    @Override
    public void renderEnd(Span span) {
      Calls.Advisor call = (Calls.Advisor) span.request();
      Map<String, Object> out = new LinkedHashMap<String, Object>();
      if (call.passedOn != null) {
        Map<String, Object> passedOn = chatClientRequest(call.passedOn);
        out.put("request", passedOn);
        List<Object> before = Messages.messages(Reflect.call(Reflect.call(call.request, "prompt"), "getInstructions"));
        List<Object> added = new ArrayList<Object>();
        for (Object message : (List<?>) passedOn.get("messages")) {
          if (!before.contains(message)) {
            added.add(message);
          }
        }
        out.put("added_messages", added);
      }
      if (call.stream != null) {
        out.put("response", foldedCompletion(call.stream.items(), null, null, new Usage[1]));
      } else {
        Messages.putIfPresent(out, "response", anyCompletion(span.response()));
      }
      span.setOutputs(out);
    }
  }

  static final class ChatRenderer implements SpanRenderer {
    @Override
    public void renderStart(Span span) {
      Calls.Chat call = (Calls.Chat) span.request();
      Object model = call.model();
      Object defaults = Reflect.call(model, "getDefaultOptions");
      Object fallback = defaults != null ? defaults : Reflect.call(model, "getOptions");
      Map<String, Object> body = Messages.request(call.prompt(), fallback);
      Messages.putSentTools(body, call.sentTools);
      if (call.stream != null) {
        body.put("stream", Boolean.TRUE);
      }
      span.setInputs(body);
      span.setAttribute("gen_ai.operation.name", "chat");
      span.setAttribute("gen_ai.provider.name", SpringAiProviders.of(model));
      span.setAttribute("spring_ai.model.class", model == null ? null : model.getClass().getName());
      GenAiAttributes.setRequestAttributes(span, body);
      if (call.stream != null) {
        span.setAttribute("gen_ai.request.stream", Boolean.TRUE);
      }
    }

    @Override
    public void renderEnd(Span span) {
      // The public call may have entered the provider's round trip (or another model) after the start was rendered.
      renderStart(span);
      Calls.Chat call = (Calls.Chat) span.request();
      Map<String, Object> completion;
      Usage usage;
      if (call.stream != null) {
        List<Object> items = call.stream.items();
        Usage[] folded = new Usage[1];
        completion = foldedCompletion(items, call.stream.merged(), call.previous(), folded);
        usage = folded[0];
        span.setAttribute("wandb.stream.chunks", items.size());
      } else if (span.response() != null) {
        usage = Messages.usage(span.response(), call.previous());
        completion = Messages.completion(span.response(), usage);
      } else {
        return;
      }
      span.setOutputs(completion);
      span.setUsage(usage);
      span.setAttribute("gen_ai.response.id", completion.get("id"));
      span.setAttribute("gen_ai.response.model", completion.get("model"));
      List<Object> reasons = new ArrayList<Object>();
      for (Object choice : (List<?>) completion.get("choices")) {
        Object reason = ((Map<?, ?>) choice).get("finish_reason");
        if (reason != null) {
          reasons.add(reason);
        }
      }
      if (!reasons.isEmpty()) {
        span.setAttribute("gen_ai.response.finish_reasons", reasons);
      }
    }
  }

  /** A direct 1.x model call that ran its tool loop: the prompt and the final answer (usage stays on the round trips). */
  static final class ChatModelRenderer implements SpanRenderer {
    @Override
    public void renderStart(Span span) {
      Calls.Component call = (Calls.Component) span.request();
      span.setInputs(Messages.request(call.input, Reflect.call(call.component, "getDefaultOptions")));
      span.setAttribute("gen_ai.provider.name", SpringAiProviders.of(call.component));
      span.setAttribute("spring_ai.model.class", call.component.getClass().getName());
    }

    @Override
    public void renderEnd(Span span) {
      if (span.response() != null) {
        span.setOutputs(Messages.completion(span.response(), null));
      }
    }
  }

  static final class ToolRenderer implements SpanRenderer {
    @Override
    public void renderStart(Span span) {
      Calls.Tool call = (Calls.Tool) span.request();
      Object definition = Reflect.call(call.callback, "getToolDefinition");
      Map<String, Object> inputs = new LinkedHashMap<String, Object>();
      inputs.put("arguments", call.input instanceof String ? Messages.parsed((String) call.input) : call.input);
      span.setInputs(inputs);
      span.setAttribute("gen_ai.operation.name", "execute_tool");
      span.setAttribute("gen_ai.tool.name", Reflect.string(definition, "name"));
      span.setAttribute("gen_ai.tool.description", Reflect.string(definition, "description"));
      span.setAttribute("spring_ai.tool.callback.class", call.callback.getClass().getName());
    }

    @Override
    public void renderEnd(Span span) {
      if (span.response() != null) {
        span.setOutputs(Collections.singletonMap("result", span.response().toString()));
      }
    }
  }

  static final class RetrieverRenderer implements SpanRenderer {
    @Override
    public void renderStart(Span span) {
      Calls.Component call = (Calls.Component) span.request();
      span.setInputs(retrievalRequest(call.input, call.innerRequest));
      span.setAttribute("gen_ai.operation.name", "retrieve");
      span.setAttribute("spring_ai.retriever.class", call.component.getClass().getName());
    }

    private static Map<String, Object> retrievalRequest(Object input, Object inner) {
      Map<String, Object> out = new LinkedHashMap<String, Object>();
      if (input instanceof String) {
        out.put("query", input);
      } else if (input != null && input.getClass().getName().endsWith(".Query")) {
        out.put("query", Reflect.string(input, "text"));
        Object context = Reflect.call(input, "context");
        if (context instanceof Map && !((Map<?, ?>) context).isEmpty()) {
          out.put("context", CapturedValues.tree(context));
        }
      } else if (input != null) {
        out.put("query", Reflect.string(input, "getQuery"));
        out.put("top_k", Reflect.call(input, "getTopK"));
        out.put("similarity_threshold", Reflect.call(input, "getSimilarityThreshold"));
        Object filter = Reflect.call(input, "getFilterExpression");
        if (filter != null) {
          out.put("filter", filter.toString());
        }
      }
      if (inner != null) {
        out.put("search_request", retrievalRequest(inner, null));
      }
      return out;
    }

    @Override
    public void renderEnd(Span span) {
      Calls.Component call = (Calls.Component) span.request();
      if (call.innerRequest != null) {
        span.setInputs(retrievalRequest(call.input, call.innerRequest));
      }
      Object result = span.response();
      if (!(result instanceof Iterable)) {
        return;
      }
      List<Object> documents = new ArrayList<Object>();
      for (Object document : (Iterable<?>) result) {
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        Messages.putIfPresent(out, "id", Reflect.string(document, "getId"));
        out.put("content", Reflect.string(document, "getText"));
        Messages.putIfPresent(out, "score", Reflect.call(document, "getScore"));
        Object metadata = Reflect.call(document, "getMetadata");
        if (metadata instanceof Map && !((Map<?, ?>) metadata).isEmpty()) {
          out.put("metadata", CapturedValues.tree(metadata));
        }
        documents.add(out);
      }
      span.setOutputs(Collections.singletonMap("documents", documents));
    }
  }

  static final class EmbeddingRenderer implements SpanRenderer {
    @Override
    public void renderStart(Span span) {
      Calls.Component call = (Calls.Component) span.request();
      Map<String, Object> inputs = new LinkedHashMap<String, Object>();
      Object input = call.input;
      Object texts = input;
      if (input != null && input.getClass().getName().endsWith(".EmbeddingRequest")) {
        texts = Reflect.call(input, "getInstructions");
        Messages.putIfPresent(inputs, "model", Reflect.string(Reflect.call(input, "getOptions"), "getModel"));
      }
      List<Object> out = new ArrayList<Object>();
      if (texts instanceof Iterable) {
        for (Object text : (Iterable<?>) texts) {
          out.add(text instanceof String ? text : Reflect.string(text, "getText"));
        }
      } else if (texts != null) {
        out.add(texts instanceof String ? texts : Reflect.string(texts, "getText"));
      }
      inputs.put("input", out);
      span.setInputs(inputs);
      span.setAttribute("gen_ai.operation.name", "embeddings");
      span.setAttribute("gen_ai.provider.name", SpringAiProviders.of(call.component));
      span.setAttribute("spring_ai.model.class", call.component.getClass().getName());
    }

    @Override
    public void renderEnd(Span span) {
      Object result = span.response();
      Map<String, Object> out = new LinkedHashMap<String, Object>();
      if (result instanceof float[]) {
        out.put("vectors", 1);
        out.put("dimensions", ((float[]) result).length);
      } else if (result instanceof List) {
        List<?> vectors = (List<?>) result;
        out.put("vectors", vectors.size());
        if (!vectors.isEmpty() && vectors.get(0) instanceof float[]) {
          out.put("dimensions", ((float[]) vectors.get(0)).length);
        }
      } else if (result != null) {
        Object results = Reflect.call(result, "getResults");
        if (results instanceof List) {
          List<?> list = (List<?>) results;
          out.put("vectors", list.size());
          Object first = list.isEmpty() ? null : Reflect.call(list.get(0), "getOutput");
          if (first instanceof float[]) {
            out.put("dimensions", ((float[]) first).length);
          }
        }
        Object metadata = Reflect.call(result, "getMetadata");
        Messages.putIfPresent(out, "model", Reflect.string(metadata, "getModel"));
        Usage usage = Messages.usageOf(result);
        span.setUsage(usage);
      }
      span.setOutputs(out);
    }
  }
}
