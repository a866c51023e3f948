package ai.wandb.agent.instrumentation.methods;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodHook;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The span of one application method: started on entry under the current span, ended with what the
 * method returned or threw. The app thread keeps references to the arguments; they are rendered on the
 * exporter thread.
 */
final class MethodSpans implements MethodHook, SpanRenderer {
  private final String spanName;
  private final SpanKind kind;
  private final String[] parameterNames;
  /** Attribute name per parameter ({@code @SpanAttribute}), null where the parameter has none. */
  private final String[] attributeNames;

  MethodSpans(String spanName, SpanKind kind, String[] parameterNames, String[] attributeNames) {
    this.spanName = spanName;
    this.kind = kind;
    this.parameterNames = parameterNames;
    this.attributeNames = attributeNames;
  }

  String spanName() {
    return spanName;
  }

  SpanKind kind() {
    return kind;
  }

  @Override
  public Object enter(HookSite site, Object self, Object[] arguments) {
    return Tracer.start(spanName, kind, arguments, this);
  }

  @Override
  public Object exit(HookSite site, Object span, Object self, Object returned, Throwable thrown) {
    Tracer.end((Span) span, returned, thrown);
    return returned;
  }

  @Override
  public void renderStart(Span span) {
    Object[] arguments = (Object[]) span.request();
    Map<String, Object> inputs = new LinkedHashMap<String, Object>();
    for (int i = 0; i < parameterNames.length && i < arguments.length; i++) {
      Object value = ValueTree.of(arguments[i]);
      inputs.put(parameterNames[i], value);
      if (attributeNames != null && attributeNames[i] != null) {
        span.setAttribute(attributeNames[i], value);
      }
    }
    span.setInputs(inputs);
  }

  @Override
  public void renderEnd(Span span) {
    if (span.error() == null) {
      span.setOutputs(ValueTree.of(span.response()));
    }
  }
}
