package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EMBEDDING spans: the texts embedded, the model, and how many vectors of which dimension came back
 * (not the vectors themselves), plus usage when the provider reports it.
 */
final class EmbeddingRenderer implements SpanRenderer {
  @Override
  public void renderStart(Span span) {
    Calls.Component call = (Calls.Component) span.request();
    List<Object> texts = texts(call.input);
    span.setAttribute("gen_ai.operation.name", "embeddings");
    span.setAttribute("gen_ai.provider.name", Providers4j.of(call.component));
    String model = Reflect.string(call.component, "modelName");
    if ("unknown".equals(model)) {
      // EmbeddingModel.modelName()'s default (1.x) for a model that does not name itself, the app's own
      // included: no name, rather than a model called "unknown" in the span's name and the price look-up.
      model = null;
    }
    span.setAttribute("gen_ai.request.model", model);
    span.setAttribute("langchain4j.embedding.input_count", texts.size());
    Map<String, Object> inputs = new LinkedHashMap<String, Object>();
    Messages.putIfPresent(inputs, "model", model);
    inputs.put("input", texts);
    span.setInputs(inputs);
  }

  /** The input of embed(String), embed(TextSegment), embedAll(List) or embed/doEmbed(EmbeddingRequest). */
  private static List<Object> texts(Object input) {
    List<Object> out = new ArrayList<Object>();
    if (input instanceof String) {
      out.add(input);
    } else if (input instanceof List) {
      for (Object segment : (List<?>) input) {
        out.add(text(segment));
      }
    } else if (input != null && input.getClass().getName().endsWith("EmbeddingRequest")) {
      return texts(Reflect.call(input, "inputs"));
    } else if (input != null) {
      out.add(text(input));
    }
    return out;
  }

  private static Object text(Object segment) {
    String text = Reflect.string(segment, "text");
    return text != null ? text : String.valueOf(segment);
  }

  @Override
  public void renderEnd(Span span) {
    Object response = span.response();
    if (response == null) {
      return;
    }
    // Response<Embedding>, Response<List<Embedding>> or (1.18+) EmbeddingResponse.
    Object content = Reflect.call(response, "content");
    if (content == null) {
      content = Reflect.call(response, "embeddings");
    }
    List<?> embeddings = content instanceof List ? (List<?>) content
        : content == null ? new ArrayList<Object>() : java.util.Collections.singletonList(content);
    Integer dimension = null;
    if (!embeddings.isEmpty()) {
      Object vector = Reflect.call(embeddings.get(0), "vector");
      dimension = vector instanceof float[] ? ((float[]) vector).length : null;
    }
    Map<String, Object> outputs = new LinkedHashMap<String, Object>();
    outputs.put("count", embeddings.size());
    Messages.putIfPresent(outputs, "dimension", dimension);
    span.setOutputs(outputs);
    span.setAttribute("langchain4j.embedding.dimension", dimension);
    span.setAttribute("gen_ai.response.model", Reflect.string(response, "modelName"));
    span.setUsage(Messages.usage(Reflect.call(response, "tokenUsage")));
  }
}
