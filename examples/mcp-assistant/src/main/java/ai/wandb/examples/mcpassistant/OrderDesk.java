package ai.wandb.examples.mcpassistant;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/** The MCP server: an order desk with two tools, a returns policy and an apology prompt. */
final class OrderDesk {
  private static final Map<String, String> ORDERS = Map.of("A-1001", "shipped on 2 Dec, arrives 4 Dec",
      "A-1002", "waiting for stock");

  private OrderDesk() {}

  static McpSyncServer serve(McpServer.SyncSpecification<?> transport) {
    return transport.serverInfo("order-desk", "1.0.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, false).prompts(false).build())
        .toolCall(tool("lookup_order", "The status of an order", "order_id"), (exchange, request) -> {
          String id = String.valueOf(request.arguments().get("order_id"));
          String status = ORDERS.get(id);
          return status == null ? failure("no such order: " + id) : text(id + ": " + status);
        })
        .toolCall(tool("refund", "Refunds an order that has not shipped", "order_id"), (exchange, request) -> {
          String id = String.valueOf(request.arguments().get("order_id"));
          if (!ORDERS.containsKey(id)) {
            return failure("no such order: " + id);
          }
          if (ORDERS.get(id).startsWith("shipped")) {
            throw new IllegalStateException("order " + id + " has shipped: refunds start when it comes back");
          }
          return text("refunded " + id);
        })
        .resources(new McpServerFeatures.SyncResourceSpecification(
            McpSchema.Resource.builder().uri("policy://returns").name("returns policy").mimeType("text/plain").build(),
            (exchange, request) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                request.uri(), "text/plain", "Returns within 30 days; refunds once the parcel is back.")))))
        .prompts(new McpServerFeatures.SyncPromptSpecification(
            new McpSchema.Prompt("apology", "An apology to a customer",
                List.of(new McpSchema.PromptArgument("customer", "who to write to", true))),
            (exchange, request) -> new McpSchema.GetPromptResult("apology", List.of(new McpSchema.PromptMessage(
                McpSchema.Role.USER, new McpSchema.TextContent("Write a short apology to "
                    + request.arguments().get("customer") + " for the delay."))))))
        .build();
  }

  private static McpSchema.CallToolResult text(String text) {
    return McpSchema.CallToolResult.builder().addTextContent(text).build();
  }

  private static McpSchema.CallToolResult failure(String text) {
    return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
  }

  private static McpSchema.Tool tool(String name, String description, String argument) {
    Map<String, Object> property = Map.of("type", "string");
    return McpSchema.Tool.builder().name(name).description(description)
        .inputSchema(new McpSchema.JsonSchema("object", Map.of(argument, property), List.of(argument), false, null, null))
        .build();
  }
}
