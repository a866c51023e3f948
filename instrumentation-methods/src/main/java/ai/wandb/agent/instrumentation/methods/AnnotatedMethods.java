package ai.wandb.agent.instrumentation.methods;

import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.instrumentation.ClassFileInstrumentation;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Methods carrying one of the given annotations, each a span: OpenTelemetry's {@code @WithSpan} (its
 * {@code value} as the span name, {@code kind = CLIENT} as a {@code TOOL} span, parameters annotated with
 * {@code @SpanAttribute} as attributes too) or the types {@code wandb.trace.annotations} names. Classes are
 * picked by a byte search for the annotation's descriptor in the class file, then read with ASM.
 */
final class AnnotatedMethods implements ClassFileInstrumentation {
  static final String WITH_SPAN = "Lio/opentelemetry/instrumentation/annotations/WithSpan;";
  static final String SPAN_ATTRIBUTE = "Lio/opentelemetry/instrumentation/annotations/SpanAttribute;";

  private final String[] descriptors;

  /** {@code annotationTypes} as binary names, e.g. {@code com.acme.Traced}. */
  AnnotatedMethods(List<String> annotationTypes) {
    descriptors = new String[annotationTypes.size()];
    for (int i = 0; i < descriptors.length; i++) {
      descriptors[i] = "L" + annotationTypes.get(i).replace('.', '/') + ";";
    }
  }

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.classFileContaining(descriptors);
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.emptyList();
  }

  @Override
  public List<MethodAdvice> methodAdvice(String binaryName, byte[] classFile) {
    List<MethodAdvice> advice = new ArrayList<MethodAdvice>();
    for (DeclaredMethods.Method method : DeclaredMethods.read(classFile)) {
      if (!method.isOwnCode()) {
        continue;
      }
      for (String descriptor : descriptors) {
        Map<String, Object> values = method.annotations.get(descriptor);
        if (values != null) {
          advice.add(MethodAdvices.exactly(method, spans(binaryName, method, values)));
          break;
        }
      }
    }
    return advice;
  }

  private static MethodSpans spans(String binaryName, DeclaredMethods.Method method, Map<String, Object> values) {
    Object name = values.get("value");
    String spanName = name instanceof String && !((String) name).isEmpty()
        ? (String) name : ConfiguredMethods.spanName(binaryName, method.name);
    SpanKind kind = "CLIENT".equals(values.get("kind")) ? SpanKind.TOOL : SpanKind.CHAIN;
    String[] attributes = null;
    for (int i = 0; i < method.parameterNames.length; i++) {
      Map<String, Object> attribute = method.parameterAnnotations.get(i).get(SPAN_ATTRIBUTE);
      if (attribute != null) {
        if (attributes == null) {
          attributes = new String[method.parameterNames.length];
        }
        Object key = attribute.get("value");
        attributes[i] = key instanceof String && !((String) key).isEmpty() ? (String) key : method.parameterNames[i];
      }
    }
    return new MethodSpans(spanName, kind, method.parameterNames, attributes);
  }
}
