package ai.wandb.agent.instrumentation.springai;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/** A small MCP server as a child process over stdio, the way an MCP server main is written. */
// The tool builder and JsonSchema that MCP SDK 2.x deprecates are what servers written for 1.x and 2.0 use.
@SuppressWarnings("deprecation")
final class OrderDeskMcpServer {
  private OrderDeskMcpServer() {}

  public static void main(String[] args) throws InterruptedException {
    McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper()))
        .serverInfo("order-desk", "1.0.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .toolCall(McpSchema.Tool.builder().name("orderStatus").description("The status of an order")
                .inputSchema(new McpSchema.JsonSchema("object", Map.of("orderId", Map.of("type", "string")),
                    List.of("orderId"), false, null, null)).build(),
            (exchange, request) -> McpSchema.CallToolResult.builder()
                .addTextContent("order " + request.arguments().get("orderId") + " has shipped").build())
        .build();
    Thread.currentThread().join();
  }
}
