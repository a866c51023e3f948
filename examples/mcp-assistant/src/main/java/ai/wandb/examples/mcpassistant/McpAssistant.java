package ai.wandb.examples.mcpassistant;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A scripted support assistant on MCP, offline (no model): it asks the order desk about two orders, tries two
 * refunds (one the desk refuses, one that fails in the desk), reads the returns policy and gets a prompt.
 *
 * <pre>
 * java -jar mcp-assistant.jar                  the assistant, with the order desk as its stdio child process
 * java -jar mcp-assistant.jar serve PORT       the order desk over streamable HTTP (/mcp); stops when stdin closes
 * java -jar mcp-assistant.jar ask URL          the assistant against an order desk at URL (http://host:port)
 * java -jar mcp-assistant.jar serve-stdio      the order desk over stdio (what the first form starts)
 * </pre>
 */
public final class McpAssistant {
  private McpAssistant() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "stdio-client" : args[0];
    switch (mode) {
      case "serve" -> serveHttp(args.length > 1 ? Integer.parseInt(args[1]) : 8765);
      case "serve-stdio" -> serveStdio();
      case "ask" -> assist(HttpClientStreamableHttpTransport.builder(args[1]).endpoint("/mcp").build());
      default -> assist(stdioChild());
    }
  }

  private static void assist(McpClientTransport transport) {
    try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
        .clientInfo(McpSchema.Implementation.builder("support-assistant", "1.0.0").build()).build()) {
      McpSchema.InitializeResult init = client.initialize();
      System.out.println("connected to " + init.serverInfo().name() + " " + init.serverInfo().version());
      System.out.println("tools: " + client.listTools().tools().stream().map(McpSchema.Tool::name)
          .collect(Collectors.joining(", ")));
      for (String order : new String[] {"A-1001", "A-1002"}) {
        System.out.println("lookup_order " + order + " -> " + call(client, "lookup_order", order));
      }
      for (String order : new String[] {"Z-9", "A-1001"}) {
        System.out.println("refund " + order + " -> " + call(client, "refund", order));
      }
      McpSchema.ReadResourceResult policy = client.readResource(McpSchema.ReadResourceRequest.builder("policy://returns").build());
      System.out.println("policy: " + ((McpSchema.TextResourceContents) policy.contents().get(0)).text());
      McpSchema.GetPromptResult prompt = client.getPrompt(McpSchema.GetPromptRequest.builder("apology")
          .arguments(Map.of("customer", "Ada")).build());
      System.out.println("prompt: " + ((McpSchema.TextContent) prompt.messages().get(0).content()).text());
    }
  }

  /** The tool's text, or how it failed: a refusal the tool reported, or an error the server answered with. */
  private static String call(McpSyncClient client, String tool, String order) {
    try {
      McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder(tool)
          .arguments(Map.of("order_id", order)).build());
      String text = result.content().stream().map(content -> ((McpSchema.TextContent) content).text())
          .collect(Collectors.joining(" "));
      return Boolean.TRUE.equals(result.isError()) ? "refused: " + text : text;
    } catch (RuntimeException e) {
      return "failed: " + e.getMessage();
    }
  }

  /** The order desk as a child process of this very jar, talking JSON-RPC on its stdin and stdout. */
  private static McpClientTransport stdioChild() {
    String java = ProcessHandle.current().info().command().orElse("java");
    String jar = new File(McpAssistant.class.getProtectionDomain().getCodeSource().getLocation().getPath()).getPath();
    return new StdioClientTransport(ServerParameters.builder(java).args("-cp", jar, McpAssistant.class.getName(),
        "serve-stdio").build(), McpJsonDefaults.getMapper());
  }

  private static void serveStdio() throws InterruptedException {
    OrderDesk.serve(McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper())));
    // The transport reads stdin on its own threads; the client ends this process when it is done.
    Thread.currentThread().join();
  }

  private static void serveHttp(int port) throws Exception {
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint("/mcp").build();
    McpSyncServer desk = OrderDesk.serve(McpServer.sync(transport));
    Server jetty = new Server();
    jetty.setStopTimeout(1000);
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder holder = new ServletHolder(transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    jetty.setHandler(context);
    jetty.start();
    System.out.println("order desk listening on http://127.0.0.1:" + connector.getLocalPort());
    while (System.in.read() != -1) {
      // runs until stdin closes (Ctrl-D, or the parent that started it closing the pipe)
    }
    // Not gracefully: a client's open event stream would hold a graceful close back.
    desk.close();
    jetty.stop();
    // The streamable transport's session sweeper is not a daemon thread and outlives a closed server.
    System.exit(0);
  }
}
