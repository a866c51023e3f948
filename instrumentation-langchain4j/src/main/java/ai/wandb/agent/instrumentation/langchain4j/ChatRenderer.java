package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.GenAiAttributes;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LLM spans of chat models: the ChatRequest as an OpenAI-shaped request body (model, messages,
 * parameters, tools), the ChatResponse as an OpenAI-shaped completion, GenAI attributes and usage.
 */
final class ChatRenderer implements SpanRenderer {
  @Override
  public void renderStart(Span span) {
    Calls.Chat call = (Calls.Chat) span.request();
    span.setAttribute("gen_ai.operation.name", "chat");
    Object chatModel = call.model();
    span.setAttribute("gen_ai.provider.name", Providers4j.of(chatModel));
    span.setAttribute("langchain4j.model.class", chatModel == null ? null : chatModel.getClass().getName());
    Object request = call.request();
    Object parameters = Reflect.call(request, "parameters");
    Object defaults = Reflect.call(chatModel, "defaultRequestParameters");
    Map<String, Object> body = new LinkedHashMap<String, Object>();
    String model = Reflect.string(parameters, "modelName");
    body.put("model", model != null ? model : Reflect.string(defaults, "modelName"));
    body.put("messages", Messages.messages(Reflect.call(request, "messages")));
    RequestParameters.put(body, parameters, defaults);
    Messages.putIfPresent(body, "tools", Messages.tools(RequestParameters.param(parameters, defaults, "toolSpecifications"),
        chatModel != null && Boolean.TRUE.equals(STRICT_TOOLS.read(chatModel))));
    Object toolChoice = RequestParameters.param(parameters, defaults, "toolChoice");
    if (toolChoice != null) {
      body.put("tool_choice", toolChoice.toString().toLowerCase(Locale.ROOT));
    }
    Messages.putIfPresent(body, "response_format",
        responseFormat(RequestParameters.param(parameters, defaults, "responseFormat"), chatModel));
    span.setInputs(body);
    GenAiAttributes.setRequestAttributes(span, body);
  }

  /**
   * OpenAI's {@code response_format}: {@code {"type":"json_object"}} or {@code {"type":"json_schema",
   * "json_schema":{"name","strict","schema"}}}; none for text, which is not sent. Strictness is a setting
   * of the model, not of the request ({@code strictJsonSchema} of LangChain4j's OpenAI models), shown where
   * the model has it; the schema is what LangChain4j's own mapping makes of it under that strictness
   * (strict mode makes every property required and the optional ones nullable).
   */
  static Map<String, Object> responseFormat(Object responseFormat, Object model) {
    if (responseFormat == null || !"JSON".equals(Reflect.string(responseFormat, "type"))) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    Object schema = Reflect.call(responseFormat, "jsonSchema");
    if (schema == null) {
      out.put("type", "json_object");
      return out;
    }
    out.put("type", "json_schema");
    Object strict = model == null ? null : STRICT_JSON_SCHEMA.read(model);
    Map<String, Object> jsonSchema = new LinkedHashMap<String, Object>();
    Messages.putIfPresent(jsonSchema, "name", Reflect.string(schema, "name"));
    Messages.putIfPresent(jsonSchema, "strict", strict);
    Messages.putIfPresent(jsonSchema, "schema", JsonSchemas.asSent(Reflect.call(schema, "rootElement"),
        Boolean.TRUE.equals(strict)));
    out.put("json_schema", jsonSchema);
    return out;
  }

  private static final Reflect.PrivateField STRICT_JSON_SCHEMA = new Reflect.PrivateField("strictJsonSchema");
  /** Like strictJsonSchema, a setting of LangChain4j's OpenAI models that decides how each tool is sent. */
  private static final Reflect.PrivateField STRICT_TOOLS = new Reflect.PrivateField("strictTools");

  @Override
  public void renderEnd(Span span) {
    if (((Calls.Chat) span.request()).handedOn) {
      // Inputs rendered at the start (for start events) may show the outer model of a wrapper.
      renderStart(span);
    }
    Object response = span.response();
    if (response == null) {
      return;
    }
    Object metadata = Reflect.call(response, "metadata");
    Map<String, Object> completion = new LinkedHashMap<String, Object>();
    String id = Reflect.string(metadata, "id");
    String model = Reflect.string(metadata, "modelName");
    String finishReason = finishReason(Reflect.call(metadata, "finishReason"));
    Messages.putIfPresent(completion, "id", id);
    Messages.putIfPresent(completion, "model", model);
    Map<String, Object> choice = new LinkedHashMap<String, Object>();
    choice.put("index", 0);
    choice.put("message", Messages.assistant(Reflect.call(response, "aiMessage")));
    choice.put("finish_reason", finishReason);
    completion.put("choices", Collections.singletonList(choice));
    ai.wandb.agent.api.Usage usage = Messages.usage(Reflect.call(metadata, "tokenUsage"));
    if (usage != null) {
      Map<String, Object> usageJson = new LinkedHashMap<String, Object>();
      Messages.putIfPresent(usageJson, "prompt_tokens", usage.inputTokens());
      Messages.putIfPresent(usageJson, "completion_tokens", usage.outputTokens());
      Messages.putIfPresent(usageJson, "total_tokens", usage.totalTokens());
      completion.put("usage", usageJson);
    }
    span.setOutputs(completion);
    span.setUsage(usage);
    span.setAttribute("gen_ai.response.id", id);
    span.setAttribute("gen_ai.response.model", model);
    if (finishReason != null) {
      List<Object> reasons = new ArrayList<Object>();
      reasons.add(finishReason);
      span.setAttribute("gen_ai.response.finish_reasons", reasons);
    }
  }

  /** LangChain4j's FinishReason in OpenAI's words. */
  static String finishReason(Object reason) {
    if (reason == null) {
      return null;
    }
    String name = reason.toString();
    if ("TOOL_EXECUTION".equals(name)) {
      return "tool_calls";
    }
    return name.toLowerCase(Locale.ROOT);
  }
}
