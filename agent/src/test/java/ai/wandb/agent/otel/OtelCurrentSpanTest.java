package ai.wandb.agent.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A trace started inside the app's own OpenTelemetry span continues it: same trace id, that span as parent. */
class OtelCurrentSpanTest {
  private final SdkTracerProvider provider = SdkTracerProvider.builder().build();

  @BeforeEach
  void install() {
    Tracer.setRemoteParent(new OtelCurrentSpan());
  }

  @AfterEach
  void uninstall() {
    Tracer.setRemoteParent(null);
    provider.close();
  }

  @Test
  @SuppressWarnings("try") // the scope makes the app's span current; the block does not read it
  void aTraceStartedInsideTheAppsSpanTakesItsTraceIdAndHasItAsParent() {
    io.opentelemetry.api.trace.Span app = provider.get("app").spanBuilder("POST /ask").startSpan();
    Span root;
    Span child;
    try (Scope ignored = app.makeCurrent()) {
      root = Tracer.start("agent", SpanKind.AGENT, null, null);
      child = Tracer.start("llm", SpanKind.LLM, null, null);
      Tracer.end(child, null, null);
      Tracer.end(root, null, null);
    } finally {
      app.end();
    }
    SpanContext context = app.getSpanContext();

    assertEquals(context.getTraceId(), root.traceId());
    assertEquals(context.getSpanId(), root.remoteParentId());
    assertNull(root.parentId(), "inside the agent's trace the root has no parent");
    assertEquals(context.getTraceId(), child.traceId());
    assertNull(child.remoteParentId(), "only the root continues the app's span");
    root.renderStart();
    assertEquals(context.getSpanId(), root.attributes().get("otel.parent_span_id"));
    assertEquals(context.getTraceId(), root.attributes().get("otel.trace_id"));
  }

  @Test
  void withoutACurrentAppSpanTheTraceKeepsItsOwnRandomIds() {
    Span first = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(first, null, null);
    Span second = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(second, null, null);

    assertNull(first.remoteParentId());
    assertNotEquals(first.traceId(), second.traceId());
    assertEquals(32, first.traceId().length());
    assertNull(first.attributes().get("otel.parent_span_id"));
  }

  @Test
  @SuppressWarnings("try") // the scope makes the app's span current; the block does not read it
  void aThreadWhoseLoaderCannotSeeTheApiGetsNoParentAndNoError() throws Exception {
    io.opentelemetry.api.trace.Span app = provider.get("app").spanBuilder("job").startSpan();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (Scope ignored = app.makeCurrent();
        URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
      thread.setContextClassLoader(empty);
      Span root = Tracer.start("llm", SpanKind.LLM, null, null);
      Tracer.end(root, null, null);
      assertNull(root.remoteParentId());
    } finally {
      thread.setContextClassLoader(previous);
      app.end();
    }
  }
}
