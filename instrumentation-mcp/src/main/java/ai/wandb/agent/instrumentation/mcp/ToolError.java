package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Reflect;
import java.util.List;

/**
 * A tool result with {@code isError: true}: the tool failed and said why in its content, with no exception
 * behind it on this side. The span's error, with the tool's text as its message.
 */
final class ToolError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final String NO_TEXT = "the tool returned isError: true";

  private ToolError(String message) {
    // No stack: it would show the agent's frames, not where the tool failed.
    super(message, null, false, false);
  }

  /** The error of a {@code CallToolResult} marked as one, else {@code null} (any other result). */
  static ToolError of(Object result) {
    if (result == null || !Boolean.TRUE.equals(Reflect.call(result, "isError"))) {
      return null;
    }
    return new ToolError(text(result));
  }

  /** A result marked as an error whose text is already known (LangChain4j's {@code ToolExecutionResult}). */
  static ToolError saying(String text) {
    return new ToolError(text == null ? NO_TEXT : text);
  }

  /** The text contents of the result, one per line: what the tool said to its caller. */
  static String text(Object result) {
    Object content = Reflect.call(result, "content");
    StringBuilder out = new StringBuilder();
    if (content instanceof List) {
      for (Object item : (List<?>) content) {
        String text = Reflect.string(item, "text");
        if (text != null) {
          out.append(out.length() == 0 ? "" : "\n").append(text);
        }
      }
    }
    return out.length() == 0 ? NO_TEXT : out.toString();
  }
}
