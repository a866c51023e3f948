package ai.wandb.agent.instrumentation.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.AgentHarness;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An AI service whose model asks for a tool that lives on an MCP server (the SDK's, in Jetty): through
 * LangChain4j's own MCP client ({@code McpToolProvider}), and through an app's {@code @Tool} method that calls
 * the SDK's client. Either way the tool execution is {@code langchain4j.tool.add} with one
 * {@code mcp.tools/call add} under it carrying the model's tool call id, and the server continues the trace.
 */
// Also run on SDK 1.0.0: its request constructors, which 2.x deprecates.
@SuppressWarnings("deprecation")
class LangChain4jMcpTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private AgentHarness agent;
  private Server jetty;
  private McpSyncServer mcpServer;
  private String url;

  interface Assistant {
    String chat(String question);
  }

  /** The app's own model: asks for {@code add(2, 5)} once, then answers with what the tool returned. */
  static final class ScriptedModel implements ChatModel {
    @Override
    public ChatResponse doChat(ChatRequest request) {
      ChatMessage last = request.messages().get(request.messages().size() - 1);
      if (last instanceof ToolExecutionResultMessage result) {
        return ChatResponse.builder().aiMessage(AiMessage.from("2 + 5 = " + result.text())).build();
      }
      return ChatResponse.builder().aiMessage(AiMessage.from(ToolExecutionRequest.builder().id("call_42").name("add")
          .arguments("{\"a\": 2, \"b\": 5}").build())).build();
    }
  }

  /** An app's tool that forwards to an MCP server with the SDK's client. */
  static final class Forwarding {
    private final McpSyncClient client;

    Forwarding(McpSyncClient client) {
      this.client = client;
    }

    @Tool("Adds a and b")
    String add(int a, int b) {
      McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", a, "b", b)));
      return ((McpSchema.TextContent) result.content().get(0)).text();
    }
  }

  @BeforeEach
  void start() throws Exception {
    agent = Agent.install();
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint("/mcp").build();
    mcpServer = Calculator.build(McpServer.sync(transport));
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
    url = "http://127.0.0.1:" + connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    mcpServer.close();
    jetty.stop();
  }

  @Test
  void langChain4jsOwnMcpClientsToolRunIsOneMcpSpanUnderTheToolSpanAndTheServerContinuesIt() throws Exception {
    McpClient mcp = new DefaultMcpClient.Builder()
        .transport(new StreamableHttpMcpTransport.Builder().url(url + "/mcp").timeout(WAIT).build()).build();
    try {
      Assistant assistant = AiServices.builder(Assistant.class).chatModel(new ScriptedModel())
          .toolProvider(McpToolProvider.builder().mcpClients(mcp).build()).build();
      assertEquals("2 + 5 = 7", assistant.chat("what is 2 + 5?"));
    } finally {
      mcp.close();
    }
    assertJoined();
  }

  @Test
  void anAppsToolCallingTheSdksClientGetsTheModelsToolCallId() throws Exception {
    McpSyncClient client = io.modelcontextprotocol.client.McpClient.sync(HttpClientStreamableHttpTransport.builder(url)
        .endpoint("/mcp").build()).requestTimeout(WAIT).build();
    try {
      client.initialize();
      Assistant assistant = AiServices.builder(Assistant.class).chatModel(new ScriptedModel())
          .tools(new Forwarding(client)).build();
      assertEquals("2 + 5 = 7", assistant.chat("what is 2 + 5?"));
    } finally {
      client.close();
    }
    assertJoined();
  }

  private void assertJoined() throws InterruptedException {
    Span first = agent.nextTrace(WAIT);
    Span second = agent.nextTrace(WAIT);
    Span server = first.remoteParentId() != null ? first : second;
    Span service = server == first ? second : first;
    assertEquals("langchain4j.ai_service.Assistant.chat", service.name());
    List<Span> tools = AgentHarness.flatten(service).stream().filter(span -> span.kind() == SpanKind.TOOL).toList();
    assertEquals(List.of("langchain4j.tool.add", "mcp.tools/call add"), tools.stream().map(Span::name).toList(),
        "one MCP span, under the tool execution");
    Span mcpSpan = tools.get(1);
    assertEquals(tools.get(0), mcpSpan.parent());
    assertEquals(SpanStatus.OK, mcpSpan.status());
    assertEquals("call_42", mcpSpan.attributes().get("gen_ai.tool.call.id"));
    assertEquals("add", mcpSpan.attributes().get("gen_ai.tool.name"));
    assertEquals("tools/call", mcpSpan.attributes().get("mcp.method.name"));
    assertTrue(String.valueOf(mcpSpan.outputs()).contains("7"), String.valueOf(mcpSpan.outputs()));
    assertEquals(service.traceId(), server.traceId());
    assertEquals(mcpSpan.spanId(), server.remoteParentId());
    assertEquals("mcp.tools/call add", server.name());
  }
}
