package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RETRIEVER spans: the query text and the contents returned (their text and metadata). */
final class RetrieverRenderer implements SpanRenderer {
  @Override
  public void renderStart(Span span) {
    Calls.Component call = (Calls.Component) span.request();
    span.setAttribute("gen_ai.operation.name", "retrieve");
    span.setAttribute("langchain4j.retriever.class", call.component.getClass().getName());
    Map<String, Object> inputs = new LinkedHashMap<String, Object>();
    inputs.put("query", Reflect.string(call.input, "text"));
    span.setInputs(inputs);
  }

  @Override
  public void renderEnd(Span span) {
    if (!(span.response() instanceof List)) {
      return;
    }
    List<Object> contents = new ArrayList<Object>();
    for (Object content : (List<?>) span.response()) {
      Object segment = Reflect.call(content, "textSegment");
      Map<String, Object> out = new LinkedHashMap<String, Object>();
      out.put("text", Reflect.string(segment, "text"));
      Object metadata = Reflect.call(Reflect.call(segment, "metadata"), "toMap");
      if (metadata instanceof Map && !((Map<?, ?>) metadata).isEmpty()) {
        Map<String, Object> values = new LinkedHashMap<String, Object>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) metadata).entrySet()) {
          values.put(String.valueOf(entry.getKey()), Renderers.value(entry.getValue()));
        }
        out.put("metadata", values);
      }
      contents.add(out);
    }
    Map<String, Object> outputs = new LinkedHashMap<String, Object>();
    outputs.put("contents", contents);
    span.setOutputs(outputs);
    span.setAttribute("langchain4j.retriever.count", contents.size());
  }
}
