package ai.wandb.agent.instrumentation.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.testing.AgentHarness;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A real MCP server from the SDK in the same test (streamable HTTP and SSE in Jetty, stdio in a child JVM)
 * and the SDK's clients, with the agent installed in-process: both sides' spans, joined by the traceparent
 * the client puts in the request's {@code _meta}. Runs against the lowest and the newest SDK (see the pom).
 */
// Also run on SDK 1.0.0: its constructors and the SSE transports, which 2.x deprecates.
@SuppressWarnings("deprecation")
class McpScenarioTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private AgentHarness agent;
  private Server jetty;
  private McpSyncServer mcpServer;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeEach
  void installAgent() {
    agent = Agent.install();
    Calculator.SEEN_BY_ADD.clear();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    if (mcpServer != null) {
      mcpServer.close();
    }
    if (jetty != null) {
      jetty.stop();
    }
  }

  @Test
  void aToolCallOverStreamableHttpIsAToolSpanAndTheServersHandlerContinuesItsTrace() throws Exception {
    McpSyncClient client = syncClient(streamableHttp());
    client.initialize();

    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 2, "b", 3)));
    assertEquals("5", ((McpSchema.TextContent) result.content().get(0)).text());

    Span[] spans = clientAndServer();
    Span clientSpan = spans[0];
    Span serverSpan = spans[1];
    assertEquals("mcp.tools/call add", clientSpan.name());
    assertEquals(SpanKind.TOOL, clientSpan.kind());
    assertEquals(SpanStatus.OK, clientSpan.status());
    assertEquals("tools/call", clientSpan.attributes().get("mcp.method.name"));
    assertEquals("add", clientSpan.attributes().get("gen_ai.tool.name"));
    assertEquals("execute_tool", clientSpan.attributes().get("gen_ai.operation.name"));
    assertEquals("calculator", clientSpan.attributes().get("mcp.server.name"));
    assertEquals("1.2.3", clientSpan.attributes().get("mcp.server.version"));
    assertNotNull(clientSpan.attributes().get("mcp.protocol.version"));
    assertNotNull(clientSpan.attributes().get("mcp.session.id"), "streamable HTTP has a session id");
    assertEquals("{a=2, b=3}", String.valueOf(new java.util.TreeMap<>(map(map(clientSpan.inputs()).get("arguments")))));
    assertEquals("5", map(list(map(clientSpan.outputs()).get("content")).get(0)).get("text"));
    assertNull(map(clientSpan.inputs()).get("_meta"), "the span shows the request the app made");

    assertEquals(clientSpan.traceId(), serverSpan.traceId());
    assertEquals(clientSpan.spanId(), serverSpan.remoteParentId());
    assertEquals("mcp.tools/call add", serverSpan.name());
    assertEquals(SpanKind.TOOL, serverSpan.kind());
    assertEquals("{a=2, b=3}", String.valueOf(new java.util.TreeMap<>(map(map(serverSpan.inputs()).get("arguments")))));
    assertEquals("5", map(list(map(serverSpan.outputs()).get("content")).get(0)).get("text"));
    assertNotNull(serverSpan.attributes().get("mcp.session.id"));
    assertSame(serverSpan, Calculator.SEEN_BY_ADD.get(0), "the handler runs with the server span current");
    assertTrue(serverSpan.children().isEmpty(), "one span per handled request: " + serverSpan.children());
  }

  @Test
  void aToolThatReportsAnErrorAndOneThatThrowsAreErrorSpansOnBothSides() throws Exception {
    McpSyncClient client = syncClient(streamableHttp());
    client.initialize();

    McpSchema.CallToolResult refused = client.callTool(new McpSchema.CallToolRequest("withdraw", Map.of("account", "42")));
    assertTrue(refused.isError());
    Span[] spans = clientAndServer();
    for (Span span : spans) {
      assertEquals(SpanStatus.ERROR, span.status(), span.toString());
      assertEquals("no such account: 42", span.errorJson().get("message"));
    }

    try {
      McpSchema.CallToolResult exploded = client.callTool(new McpSchema.CallToolRequest("explode", Map.of()));
      assertTrue(exploded.isError(), "newer SDKs hand a handler's exception back as an error result");
    } catch (RuntimeException e) {
      // older SDKs answer with a JSON-RPC error, which the client throws
    }
    spans = clientAndServer();
    assertEquals(SpanStatus.ERROR, spans[0].status());
    assertEquals(SpanStatus.ERROR, spans[1].status());
    assertEquals(IllegalStateException.class.getName(), spans[1].errorJson().get("type"));
    assertEquals("the calculator exploded", spans[1].errorJson().get("message"));
  }

  /**
   * What the app holds of a traced async call is the SDK's own Mono: the class and {@code toString()} of
   * one the agent does not trace ({@code ping}, made by the same SDK method). The app's own subscriber has no
   * frame of the agent's (the span follows the call's signals with a hidden subscriber, whose frame is not
   * shown either; McpFailureStackTracesSmokeTest compares such stacks with an untraced run's).
   */
  @Test
  void theAsyncClientsMonoIsTheSdksOwnAndTheAppsSubscriberHasNoFrameOfTheAgent() throws Exception {
    McpAsyncClient client = McpClient.async(streamableHttp()).requestTimeout(WAIT).initializationTimeout(WAIT).build();
    clients.add(client::close);
    client.initialize().block(WAIT);
    Mono<Object> untraced = client.ping();

    Mono<McpSchema.CallToolResult> traced = client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 2, "b", 3)));
    assertEquals(untraced.getClass(), traced.getClass());
    assertEquals(untraced.toString(), traced.toString());
    java.util.concurrent.CompletableFuture<StackTraceElement[]> seen = new java.util.concurrent.CompletableFuture<>();
    traced.subscribe(result -> seen.complete(new Throwable().getStackTrace()), seen::completeExceptionally);
    StackTraceElement[] stack = seen.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

    for (StackTraceElement frame : java.util.Arrays.copyOfRange(stack, 1, stack.length)) {
      assertFalse(frame.getClassName().startsWith("ai.wandb.agent."), frame + " in " + java.util.Arrays.toString(stack));
    }
    Span[] spans = clientAndServer();
    assertEquals("mcp.tools/call add", spans[0].name());
    assertEquals(SpanStatus.OK, spans[0].status());
    assertEquals("5", map(list(map(spans[0].outputs()).get("content")).get(0)).get("text"));
  }

  @Test
  void aTransportFailureIsAnErrorSpanWithTheExceptionTheAppGot() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    McpSyncClient client = syncClient(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + closedPort)
        .endpoint("/mcp").build());

    RuntimeException thrown = assertThrows(RuntimeException.class,
        () -> client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 1, "b", 1))));

    Span span = agent.nextTrace(WAIT);
    assertEquals("mcp.tools/call add", span.name());
    assertEquals(SpanStatus.ERROR, span.status());
    assertEquals(thrown.getClass().getName(), span.errorJson().get("type"));
    for (StackTraceElement frame : thrown.getStackTrace()) {
      assertTrue(!frame.getClassName().startsWith("ai.wandb.agent."), "agent frame in the app's exception: " + frame);
    }
  }

  @Test
  void resourcesAndPromptsAreChainSpansOnBothSides() throws Exception {
    McpSyncClient client = syncClient(streamableHttp());
    client.initialize();

    client.readResource(new McpSchema.ReadResourceRequest("docs://readme"));
    Span[] read = clientAndServer();
    for (Span span : read) {
      assertEquals("mcp.resources/read docs://readme", span.name());
      assertEquals(SpanKind.CHAIN, span.kind());
      assertEquals("docs://readme", span.attributes().get("mcp.resource.uri"));
      assertEquals("Adds numbers.", map(list(map(span.outputs()).get("contents")).get(0)).get("text"));
    }
    assertEquals(read[0].spanId(), read[1].remoteParentId());

    client.getPrompt(new McpSchema.GetPromptRequest("greet", Map.of("name", "Ada")));
    Span[] prompt = clientAndServer();
    for (Span span : prompt) {
      assertEquals("mcp.prompts/get greet", span.name());
      assertEquals("greet", span.attributes().get("gen_ai.prompt.name"));
      assertEquals(Map.of("name", "Ada"), map(span.inputs()).get("arguments"));
    }
    assertEquals(prompt[0].spanId(), prompt[1].remoteParentId());
  }

  @Test
  void anAsyncCallIsTracedFromSubscriptionNotAssemblyUnderTheSpanCurrentThen() throws Exception {
    McpAsyncClient client = McpClient.async(streamableHttp()).requestTimeout(WAIT).build();
    clients.add(client::close);
    client.initialize().block(WAIT);

    Mono<McpSchema.CallToolResult> call = client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 1, "b", 2)));
    Thread.sleep(50);
    assertTrue(agent.finishedTraces().isEmpty(), "nothing is traced before the Mono is subscribed");

    Span job = Tracer.start("job", SpanKind.AGENT, null, null);
    long subscribedAfter = job.startEpochNanos();
    McpSchema.CallToolResult result = call.block(WAIT);
    Tracer.end(job, null, null);
    assertEquals("3", ((McpSchema.TextContent) result.content().get(0)).text());

    List<Span> roots = List.of(agent.nextTrace(WAIT), agent.nextTrace(WAIT));
    Span jobTrace = roots.stream().filter(root -> root.name().equals("job")).findFirst().orElseThrow();
    Span server = roots.stream().filter(root -> root != jobTrace).findFirst().orElseThrow();
    Span tool = jobTrace.children().get(0);
    assertEquals("mcp.tools/call add", tool.name());
    assertTrue(tool.startEpochNanos() >= subscribedAfter);
    assertTrue(tool.isEnded());
    assertEquals(tool.spanId(), server.remoteParentId());
    assertEquals(jobTrace.traceId(), server.traceId());
  }

  @Test
  void overSseTheServersSpanIsTheChildOfTheClientsAndTheAppsMetaIsKept() throws Exception {
    McpSyncClient client = syncClient(sse());
    client.initialize();
    McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("whoami", Map.of(), Map.of("tenant", "acme"));

    McpSchema.CallToolResult result = client.callTool(request);

    String meta = ((McpSchema.TextContent) result.content().get(0)).text();
    Span[] spans = clientAndServer();
    assertTrue(meta.contains("tenant=acme"), meta);
    assertTrue(meta.contains("traceparent=00-" + spans[0].traceId() + "-" + spans[0].spanId() + "-01"), meta);
    assertEquals(Map.of("tenant", "acme"), request.meta(), "the app's request object is left as it was");
    assertEquals(spans[0].spanId(), spans[1].remoteParentId());
  }

  @Test
  void overStdioTheChildProcessRunsWithoutTheAgentAndGetsTheTraceparent() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ServerParameters parameters = ServerParameters.builder(java)
        .args("-cp", System.getProperty("java.class.path"), StdioCalculator.class.getName()).build();
    McpSyncClient client = syncClient(new StdioClientTransport(parameters, McpJsonDefaults.getMapper()));
    client.initialize();

    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("whoami", Map.of()));

    Span span = agent.nextTrace(WAIT);
    assertEquals("mcp.tools/call whoami", span.name());
    assertEquals(SpanStatus.OK, span.status());
    String meta = ((McpSchema.TextContent) result.content().get(0)).text();
    assertTrue(meta.contains("traceparent=00-" + span.traceId() + "-" + span.spanId() + "-01"), meta);
    assertEquals("agent=false", ((McpSchema.TextContent) result.content().get(1)).text());
    assertEquals("calculator", span.attributes().get("mcp.server.name"));
  }

  @Test
  void anAsyncServersHandlersAreSpansTooCurrentWhileTheHandlerIsAppliedAndEndedByItsMono() throws Exception {
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint("/mcp").build();
    McpAsyncServer asyncServer = Calculator.buildAsync(McpServer.async(transport));
    clients.add(asyncServer::close);
    McpSyncClient client = syncClient(HttpClientStreamableHttpTransport.builder(serve(transport)).endpoint("/mcp").build());
    client.initialize();

    client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 20, "b", 22)));
    Span[] spans = clientAndServer();
    assertEquals("mcp.tools/call add", spans[1].name());
    assertEquals(SpanStatus.OK, spans[1].status());
    assertEquals(spans[0].spanId(), spans[1].remoteParentId());
    assertEquals("42", map(list(map(spans[1].outputs()).get("content")).get(0)).get("text"));
    assertSame(spans[1], Calculator.SEEN_BY_ADD.get(0));

    try {
      client.callTool(new McpSchema.CallToolRequest("explode", Map.of()));
    } catch (RuntimeException e) {
      // older SDKs answer with a JSON-RPC error, which the client throws
    }
    spans = clientAndServer();
    assertEquals(SpanStatus.ERROR, spans[1].status());
    assertEquals("the async calculator exploded", spans[1].errorJson().get("message"));
    assertEquals(SpanStatus.ERROR, spans[0].status());
  }

  @Test
  void aStatelessServersToolIsATraceContinuingTheClientsToo() throws Exception {
    HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
        .messageEndpoint("/mcp").build();
    McpStatelessSyncServer stateless = McpServer.sync(transport).serverInfo("stateless-calculator", "3.0.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .toolCall(Calculator.tool("add", "Adds a and b"), (context, request) -> {
          Calculator.SEEN_BY_ADD.add(Tracer.current());
          long sum = ((Number) request.arguments().get("a")).longValue() + ((Number) request.arguments().get("b")).longValue();
          return McpSchema.CallToolResult.builder().addTextContent(Long.toString(sum)).build();
        })
        .build();
    clients.add(stateless::close);
    McpSyncClient client = syncClient(HttpClientStreamableHttpTransport.builder(serve(transport)).endpoint("/mcp").build());
    client.initialize();

    client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 40, "b", 2)));

    Span[] spans = clientAndServer();
    assertEquals("mcp.tools/call add", spans[1].name());
    assertEquals(spans[0].spanId(), spans[1].remoteParentId());
    assertEquals("42", map(list(map(spans[1].outputs()).get("content")).get(0)).get("text"));
    assertSame(spans[1], Calculator.SEEN_BY_ADD.get(0));
    assertTrue(spans[1].children().isEmpty());
  }

  private McpSyncClient syncClient(McpClientTransport transport) {
    McpSyncClient client = McpClient.sync(transport).requestTimeout(WAIT).initializationTimeout(WAIT).build();
    clients.add(client::close);
    return client;
  }

  private McpClientTransport streamableHttp() throws Exception {
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint("/mcp").build();
    mcpServer = Calculator.build(McpServer.sync(transport));
    return HttpClientStreamableHttpTransport.builder(serve(transport)).endpoint("/mcp").build();
  }

  private McpClientTransport sse() throws Exception {
    HttpServletSseServerTransportProvider transport = HttpServletSseServerTransportProvider.builder()
        .messageEndpoint("/mcp/message").sseEndpoint("/sse").build();
    mcpServer = Calculator.build(McpServer.sync(transport));
    return HttpClientSseClientTransport.builder(serve(transport)).sseEndpoint("/sse").build();
  }

  private String serve(HttpServlet transport) throws Exception {
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder holder = new ServletHolder(transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    jetty.setHandler(context);
    jetty.start();
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  /** The client's span and the server's, which are two roots of one trace in this JVM (the server's ends first). */
  private Span[] clientAndServer() throws InterruptedException {
    Span first = agent.nextTrace(WAIT);
    Span second = agent.nextTrace(WAIT);
    Span server = first.remoteParentId() != null ? first : second;
    Span client = server == first ? second : first;
    return new Span[] {client, server};
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return (List<Object>) value;
  }
}
