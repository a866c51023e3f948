package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/** The MCP server of the scenarios, written the way a server is written: a few lambdas on the sync builder. */
// The scenarios run on SDK 1.0.0 too: they use its constructors and builders, which 2.x deprecates.
@SuppressWarnings("deprecation")
final class Calculator {
  /** The span current inside each run of {@code add}, as the handler saw it (null outside the agent's JVM). */
  static final List<Span> SEEN_BY_ADD = new CopyOnWriteArrayList<>();

  private Calculator() {}

  static McpSyncServer build(McpServer.SyncSpecification<?> spec) {
    return spec.serverInfo("calculator", "1.2.3")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, false).prompts(false).build())
        .toolCall(tool("add", "Adds a and b"), (exchange, request) -> {
          Span current = Tracer.current();
          if (current != null) {
            SEEN_BY_ADD.add(current);
          }
          Map<String, Object> args = request.arguments();
          long sum = ((Number) args.get("a")).longValue() + ((Number) args.get("b")).longValue();
          return McpSchema.CallToolResult.builder().addTextContent(Long.toString(sum)).build();
        })
        .toolCall(tool("withdraw", "Withdraws from an account"), (exchange, request) ->
            McpSchema.CallToolResult.builder().addTextContent("no such account: " + request.arguments().get("account"))
                .isError(true).build())
        .toolCall(tool("explode", "Always fails"), (exchange, request) -> {
          throw new IllegalStateException("the calculator exploded");
        })
        .toolCall(tool("whoami", "What this server received and how it runs"), (exchange, request) ->
            McpSchema.CallToolResult.builder()
                .addTextContent("meta=" + request.meta())
                .addTextContent("agent=" + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .anyMatch(arg -> arg.startsWith("-javaagent")))
                .build())
        .resources(new McpServerFeatures.SyncResourceSpecification(
            McpSchema.Resource.builder().uri("docs://readme").name("readme").mimeType("text/plain").build(),
            (exchange, request) -> new McpSchema.ReadResourceResult(
                List.of(new McpSchema.TextResourceContents(request.uri(), "text/plain", "Adds numbers.")))))
        .prompts(new McpServerFeatures.SyncPromptSpecification(
            new McpSchema.Prompt("greet", "Greets someone", List.of(new McpSchema.PromptArgument("name", "who", true))),
            (exchange, request) -> new McpSchema.GetPromptResult("a greeting", List.of(new McpSchema.PromptMessage(
                McpSchema.Role.USER, new McpSchema.TextContent("Hello " + request.arguments().get("name")))))))
        .build();
  }

  /** The same calculator as an async server: handlers that return a Mono. */
  static McpAsyncServer buildAsync(McpServer.AsyncSpecification<?> spec) {
    return spec.serverInfo("async-calculator", "2.0.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .toolCall(tool("add", "Adds a and b"), (exchange, request) -> {
          Span current = Tracer.current();
          if (current != null) {
            SEEN_BY_ADD.add(current);
          }
          Map<String, Object> args = request.arguments();
          long sum = ((Number) args.get("a")).longValue() + ((Number) args.get("b")).longValue();
          return Mono.just(McpSchema.CallToolResult.builder().addTextContent(Long.toString(sum)).build());
        })
        .toolCall(tool("explode", "Always fails"), (exchange, request) ->
            Mono.error(new IllegalStateException("the async calculator exploded")))
        .build();
  }

  static McpSchema.Tool tool(String name, String description) {
    return McpSchema.Tool.builder().name(name).description(description)
        .inputSchema(new McpSchema.JsonSchema("object", Map.of(), List.of(), true, null, null)).build();
  }
}
