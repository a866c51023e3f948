package ai.wandb.agent.instrumentation.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;

/** The calculator as a child process over stdio, the way an MCP server main is written. */
final class StdioCalculator {
  private StdioCalculator() {}

  public static void main(String[] args) throws InterruptedException {
    Calculator.build(McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper())));
    // The transport reads stdin on its own threads; the client ends this process when it closes.
    Thread.currentThread().join();
  }
}
