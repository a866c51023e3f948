package ai.wandb.agent.instrumentation.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

// Also run on SDK 1.0.0: its constructors, which 2.x deprecates.
@SuppressWarnings("deprecation")
class ToolErrorTest {
  @Test
  void aResultMarkedAsAnErrorIsTheSpansErrorWithTheToolsText() {
    McpSchema.CallToolResult result = McpSchema.CallToolResult.builder().addTextContent("no such account")
        .addTextContent("try another").isError(true).build();
    ToolError error = ToolError.of(result);
    assertEquals("no such account\ntry another", error.getMessage());
    assertEquals(0, error.getStackTrace().length);
  }

  @Test
  void otherResultsAreNoErrors() {
    assertNull(ToolError.of(McpSchema.CallToolResult.builder().addTextContent("5").build()));
    assertNull(ToolError.of(McpSchema.CallToolResult.builder().addTextContent("5").isError(false).build()));
    assertNull(ToolError.of(new McpSchema.ReadResourceResult(List.of())));
    assertNull(ToolError.of(null));
  }

  @Test
  void anErrorWithoutTextSaysWhatItWas() {
    McpSchema.CallToolResult result = McpSchema.CallToolResult.builder().content(List.of()).isError(true).build();
    assertEquals("the tool returned isError: true", ToolError.of(result).getMessage());
  }

  @Test
  void spanNamesAreTheMethodAndWhatItAddresses() {
    assertEquals("mcp.tools/call add", McpOperation.TOOL.spanName(new McpSchema.CallToolRequest("add", null)));
    assertEquals("mcp.resources/read docs://x", McpOperation.RESOURCE.spanName(java.util.Map.of("uri", "docs://x")));
    assertEquals("mcp.prompts/get", McpOperation.PROMPT.spanName(java.util.Map.of()));
  }
}
