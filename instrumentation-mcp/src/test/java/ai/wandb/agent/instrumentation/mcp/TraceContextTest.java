package ai.wandb.agent.instrumentation.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

// Also run on SDK 1.0.0: its constructors, which 2.x deprecates.
@SuppressWarnings("deprecation")
class TraceContextTest {
  private Span span;
  private Object registered;

  @AfterEach
  void end() {
    if (span != null) {
      TraceContext.unregister(registered, span);
      Tracer.end(span, null, null);
    }
  }

  private Span registered(Object request) {
    span = Tracer.start("mcp.tools/call add", SpanKind.TOOL, null, null);
    Tracer.exit(span);
    registered = request;
    TraceContext.register(request, span);
    return span;
  }

  @Test
  void aTracedCallGoesOutAsACopyWithItsTraceparentAndTheAppsMetaKept() {
    McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("add", Map.of("a", 1), Map.of("tenant", "acme"));
    Span span = registered(request);

    McpSchema.CallToolRequest sent = (McpSchema.CallToolRequest) TraceContext.withTraceparent(request);

    assertEquals("add", sent.name());
    assertEquals(Map.of("a", 1), sent.arguments());
    assertEquals("acme", sent.meta().get("tenant"));
    assertEquals("00-" + span.traceId() + "-" + span.spanId() + "-01", sent.meta().get("traceparent"));
    assertEquals(Map.of("tenant", "acme"), request.meta());
    assertEquals(sent.meta().get("traceparent"), TraceContext.received(sent));
  }

  @Test
  void resourceReadsAndPromptGetsCarryItToo() {
    McpSchema.ReadResourceRequest read = new McpSchema.ReadResourceRequest("docs://readme");
    Span span = registered(read);
    McpSchema.ReadResourceRequest sent = (McpSchema.ReadResourceRequest) TraceContext.withTraceparent(read);
    assertEquals("docs://readme", sent.uri());
    assertEquals(TraceContext.traceparent(span), sent.meta().get("traceparent"));
    TraceContext.unregister(read, span);

    McpSchema.GetPromptRequest prompt = new McpSchema.GetPromptRequest("greet", Map.of("name", "Ada"));
    TraceContext.register(prompt, span);
    registered = prompt;
    McpSchema.GetPromptRequest sentPrompt = (McpSchema.GetPromptRequest) TraceContext.withTraceparent(prompt);
    assertEquals(Map.of("name", "Ada"), sentPrompt.arguments());
    assertEquals(TraceContext.traceparent(span), sentPrompt.meta().get("traceparent"));
  }

  @Test
  void aRequestWithNoSpanBehindItIsSentAsItWas() {
    McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("add", Map.of("a", 1));
    assertSame(request, TraceContext.withTraceparent(request));
    assertNull(request.meta());
    Object notARequest = Map.of("cursor", "x");
    assertSame(notARequest, TraceContext.withTraceparent(notARequest));
  }

  @Test
  void anAppsOwnTraceparentIsLeftAlone() {
    String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("add", Map.of(), Map.of("traceparent", own));
    registered(request);
    assertSame(request, TraceContext.withTraceparent(request));
  }

  @Test
  void theServerReadsTheTraceparentFromTheParamsAsReceived() {
    assertEquals("00-a-b-01", TraceContext.received(Map.of("name", "add", "_meta", Map.of("traceparent", "00-a-b-01"))));
    assertNull(TraceContext.received(Map.of("name", "add")));
    assertNull(TraceContext.received(Map.of("_meta", Map.of("traceparent", 7))));
  }
}
