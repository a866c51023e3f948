package ai.wandb.agent.instrumentation.methods;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * Annotated the way an app instrumented for OpenTelemetry is. Top level, so that JUnit does not load it
 * before the agent is installed: a class-retention annotation such as {@link Traced} is in the class file
 * at load time but not in the bytes the JVM hands back when a loaded class is retransformed.
 */
final class Annotated {
  @WithSpan
  String plain(@SpanAttribute("user.id") String user, String text) {
    return client(text);
  }

  @WithSpan(value = "fetch page", kind = SpanKind.CLIENT)
  String client(@SpanAttribute String url) {
    return "page " + url;
  }

  @Traced
  int own(int[] values) {
    return values.length;
  }
}
