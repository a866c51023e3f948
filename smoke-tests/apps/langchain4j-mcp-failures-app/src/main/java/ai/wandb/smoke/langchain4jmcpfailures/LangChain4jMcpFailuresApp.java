package ai.wandb.smoke.langchain4jmcpfailures;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.langchain4j.service.tool.ToolExecutionResult;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * LangChain4j's own MCP client the way apps use it, against an MCP server of the SDK's own in this JVM (over
 * streamable HTTP in Jetty) whose tools answer ({@code ok}), report an error ({@code is-error}), throw
 * ({@code throws}), answer after the client's tool execution timeout ({@code slow}) or drop the client's
 * connections ({@code drops}). Arguments {@code <tool>/<caller>}, caller one of {@code client}
 * ({@code McpClient.executeTool}) and {@code ai-service} (an AI service whose model asks for the tool, which
 * it finds through {@code McpToolProvider}; its tool execution error handler prints what it is handed).
 * Every failure is printed with {@code printStackTrace()}, the way apps log them; what the app gets is
 * printed with its class.
 */
public final class LangChain4jMcpFailuresApp {
  /** Long enough for the initialization on a busy machine; the slow tool takes twice that. */
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(4);

  private LangChain4jMcpFailuresApp() {}

  /** The app's AI service. */
  interface Assistant {
    String ask(String question);
  }

  /** The app's own model: asks once for the tool the question names, then answers with what it returned. */
  static final class ScriptedModel implements ChatModel {
    @Override
    public ChatResponse doChat(ChatRequest request) {
      ChatMessage last = request.messages().get(request.messages().size() - 1);
      if (last instanceof ToolExecutionResultMessage result) {
        return ChatResponse.builder().aiMessage(AiMessage.from("the desk says: " + result.text())).build();
      }
      String tool = ((UserMessage) request.messages().get(0)).singleText();
      return ChatResponse.builder().aiMessage(AiMessage.from(ToolExecutionRequest.builder().id("call_1")
          .name(tool).arguments("{\"order_id\": \"A-1001\"}").build())).build();
    }
  }

  // McpClient.close() declares InterruptedException; a scenario's client is closed as an app closes it.
  @SuppressWarnings("try")
  public static void main(String[] args) throws Exception {
    Desk desk = new Desk();
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder().mcpEndpoint("/mcp").build();
    // Built on its transport, the server answers through it for as long as the JVM runs.
    McpServer.sync(transport).serverInfo("order-desk", "1.0.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .toolCall(tool("ok"), (exchange, request) -> text("the desk is open", false))
        .toolCall(tool("is-error"), (exchange, request) -> text("no such order: Z-9", true))
        .toolCall(tool("throws"), (exchange, request) -> {
          throw new IllegalStateException("order A-1001 has shipped");
        })
        .toolCall(tool("slow"), (exchange, request) -> {
          sleep(TOOL_TIMEOUT.toMillis() * 2);
          return text("too late", false);
        })
        .toolCall(tool("drops"), (exchange, request) -> {
          desk.dropConnections();
          return text("never delivered", false);
        })
        .build();
    desk.start(transport);
    for (String scenario : args) {
      System.out.println("== " + scenario);
      System.err.println("== " + scenario);
      String tool = scenario.substring(0, scenario.indexOf('/'));
      try (McpClient client = new DefaultMcpClient.Builder()
          .transport(new StreamableHttpMcpTransport.Builder().url(desk.url + "/mcp").build())
          .toolExecutionTimeout(TOOL_TIMEOUT).build()) {
        run(scenario.substring(scenario.indexOf('/') + 1), client, tool);
      } catch (Exception e) {
        e.printStackTrace();
      }
    }
    // The server goes with the JVM: a graceful Jetty stop waits for the clients' event streams, and the
    // streamable transport's session sweeper is not a daemon thread.
    System.exit(0);
  }

  private static void run(String caller, McpClient client, String tool) {
    switch (caller) {
      case "client":
        ToolExecutionResult result = client.executeTool(ToolExecutionRequest.builder().id("call_1").name(tool)
            .arguments("{\"order_id\": \"A-1001\"}").build());
        System.out.println(result.getClass().getName() + " isError=" + result.isError() + ": " + result.resultText());
        return;
      case "ai-service":
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(new ScriptedModel())
            .toolProvider(McpToolProvider.builder().mcpClients(client).build())
            .toolExecutionErrorHandler((error, context) -> {
              error.printStackTrace();
              return ToolErrorHandlerResult.text("the tool failed: " + error.getMessage());
            })
            .build();
        String answer = assistant.ask(tool);
        System.out.println(answer.getClass().getName() + ": " + answer);
        return;
      default:
        throw new IllegalArgumentException("unknown caller " + caller);
    }
  }

  private static McpSchema.CallToolResult text(String text, boolean isError) {
    return McpSchema.CallToolResult.builder().addTextContent(text).isError(isError).build();
  }

  // MCP SDK 2.1.0 deprecates the Tool builder and JsonSchema, which it still accepts; the scenarios need nothing newer.
  @SuppressWarnings("deprecation")
  private static McpSchema.Tool tool(String name) {
    return McpSchema.Tool.builder().name(name).description("the " + name + " tool")
        .inputSchema(new McpSchema.JsonSchema("object", Map.of(), List.of(), true, null, null)).build();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The MCP server's Jetty on a free loopback port. */
  private static final class Desk {
    private final Server jetty = new Server(threads());
    private final ServerConnector connector = new ServerConnector(jetty);
    String url;

    /**
     * Without reserved threads: Jetty then runs each request the same way, so a stack taken in a handler is
     * the same from run to run (with them, whether a reserved thread ran it varies, without the agent too).
     */
    private static QueuedThreadPool threads() {
      QueuedThreadPool threads = new QueuedThreadPool();
      threads.setReservedThreads(0);
      return threads;
    }

    void start(HttpServletStreamableServerTransportProvider transport) throws Exception {
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

    /** As when the server's process dies or a proxy gives up: every open connection closes, unanswered. */
    void dropConnections() {
      for (EndPoint endPoint : connector.getConnectedEndPoints()) {
        endPoint.close();
      }
    }
  }
}
