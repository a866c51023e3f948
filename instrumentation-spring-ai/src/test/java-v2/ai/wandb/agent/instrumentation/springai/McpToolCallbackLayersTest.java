package ai.wandb.agent.instrumentation.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.AgentHarness;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.tool.ToolCallback;

/**
 * Spring AI's MCP tool callbacks run on the MCP SDK's client: the tool is Spring AI's
 * {@code spring_ai.tool.<name>} span with the SDK's {@code mcp.tools/call} span inside it, one per layer,
 * the rule for layered libraries.
 */
class McpToolCallbackLayersTest {
  @Test
  void anMcpToolCallbackIsSpringAisToolSpanWithTheMcpCallInside() throws Exception {
    AgentHarness agent = AgentHarness.install(Models.modules());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ServerParameters server = ServerParameters.builder(java)
        .args("-cp", System.getProperty("java.class.path"), OrderDeskMcpServer.class.getName()).build();
    McpSyncClient client = McpClient.sync(new StdioClientTransport(server, McpJsonDefaults.getMapper()))
        .requestTimeout(Duration.ofSeconds(30)).build();
    try {
      client.initialize();
      agent.finishedTraces().clear();
      ToolCallback[] callbacks = SyncMcpToolCallbackProvider.builder().mcpClients(client).build().getToolCallbacks();
      assertEquals(1, callbacks.length);

      String result = callbacks[0].call("{\"orderId\":\"A-17\"}");

      assertTrue(result.contains("order A-17 has shipped"), result);
      Span tool = agent.nextTrace(Duration.ofSeconds(10));
      String name = callbacks[0].getToolDefinition().name();
      assertEquals("spring_ai.tool." + name, tool.name());
      assertEquals(SpanKind.TOOL, tool.kind());
      assertEquals(SpanStatus.OK, tool.status());
      List<Span> inner = tool.children();
      assertEquals(1, inner.size(), "one span per layer: " + AgentHarness.flatten(tool));
      assertEquals("mcp.tools/call orderStatus", inner.get(0).name());
      assertEquals("order-desk", inner.get(0).attributes().get("mcp.server.name"));
    } finally {
      client.closeGracefully();
    }
  }
}
