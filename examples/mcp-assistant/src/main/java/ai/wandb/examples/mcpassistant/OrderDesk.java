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
            McpSchema.Resource.builder("policy://returns", "returns policy").mimeType("text/plain").build(),
            (exchange, request) -> McpSchema.ReadResourceResult.builder(List.of(McpSchema.TextResourceContents
                .builder(request.uri(), "Returns within 30 days; refunds once the parcel is back.")
                .mimeType("text/plain").build())).build()))
        .prompts(new McpServerFeatures.SyncPromptSpecification(
            McpSchema.Prompt.builder("apology").description("An apology to a customer").arguments(List.of(
                McpSchema.PromptArgument.builder("customer").description("who to write to").required(true).build()))
                .build(),
            (exchange, request) -> McpSchema.GetPromptResult.builder(List.of(McpSchema.PromptMessage.builder(
                McpSchema.Role.USER, McpSchema.TextContent.builder("Write a short apology to "
                    + request.arguments().get("customer") + " for the delay.").build()).build()))
                .description("apology").build()))
        .build();
  }

  private static McpSchema.CallToolResult text(String text) {
    return McpSchema.CallToolResult.builder().addTextContent(text).build();
  }

  private static McpSchema.CallToolResult failure(String text) {
    return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
  }

  private static McpSchema.Tool tool(String name, String description, String argument) {
    Map<String, Object> schema = Map.of("type", "object", "properties", Map.of(argument, Map.of("type", "string")),
        "required", List.of(argument));
    return McpSchema.Tool.builder(name, schema).description(description).build();
  }
}
