package ai.wandb.agent.otel;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The OpenTelemetry Java agent traces some model SDKs itself (openai-java): its span for a call is
 * current when ours for the same call starts. Such a span is that agent's layer of our call, not the
 * app's unit of work, so our trace takes the span above it (the HTTP server span, the app's own span)
 * as parent and the two layers sit side by side there. Read through the SDK's public
 * {@code ReadableSpan} methods of the span object, by reflection; anything unexpected keeps the span.
 */
final class OwnGenAiSpans {
  /** Instrumentation scopes of the OpenTelemetry agent's own GenAI instrumentations. */
  private static final String[] GEN_AI_SCOPES = {"io.opentelemetry.openai-java"};

  private static final ClassValue<Method[]> METHODS = new ClassValue<Method[]>() {
    @Override
    protected Method[] computeValue(Class<?> type) {
      Method scope = publicMethod(type, "getInstrumentationScopeInfo");
      Method parent = publicMethod(type, "getParentSpanContext");
      if (scope == null || parent == null) {
        return new Method[0];
      }
      Method name = publicMethod(scope.getReturnType(), "getName");
      return name == null ? new Method[0] : new Method[] {scope, name, parent};
    }
  };

  private OwnGenAiSpans() {}

  /** The parent span context when {@code span} is one of those spans; else null. */
  static Object parentIfOwnGenAiSpan(Object span) {
    Method[] methods = METHODS.get(span.getClass());
    if (methods.length == 0) {
      return null;
    }
    try {
      Object scope = methods[0].invoke(span);
      Object name = scope == null ? null : methods[1].invoke(scope);
      if (!(name instanceof String)) {
        return null;
      }
      for (String prefix : GEN_AI_SCOPES) {
        if (((String) name).startsWith(prefix)) {
          return methods[2].invoke(span);
        }
      }
      return null;
    } catch (Exception | LinkageError e) {
      return null;
    }
  }

  /** The method as declared by a public class or interface of {@code type}, so that it may be invoked. */
  private static Method publicMethod(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (Modifier.isPublic(c.getModifiers())) {
        try {
          return c.getMethod(name);
        } catch (NoSuchMethodException e) {
          // not here; its interfaces below
        }
      }
      for (Class<?> implemented : c.getInterfaces()) {
        Method found = publicMethod(implemented, name);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
