package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Json;
import java.lang.reflect.Method;

/**
 * SDK objects as their wire JSON, written by the SDK's own mapper ({@code McpJsonDefaults.getMapper()}, from
 * the object's class loader, on the exporter thread): {@code isError}, {@code _meta} and the content types
 * exactly as the other side sees them, whichever JSON library the application's SDK uses.
 */
final class McpJson {
  private static final ClassValue<Method[]> MAPPER = new ClassValue<Method[]>() {
    @Override
    protected Method[] computeValue(Class<?> type) {
      try {
        Class<?> defaults = Class.forName("io.modelcontextprotocol.json.McpJsonDefaults", false, type.getClassLoader());
        Class<?> mapper = Class.forName("io.modelcontextprotocol.json.McpJsonMapper", false, type.getClassLoader());
        return new Method[] {defaults.getMethod("getMapper"), mapper.getMethod("writeValueAsString", Object.class)};
      } catch (Exception | LinkageError e) {
        return null;
      }
    }
  };

  private McpJson() {}

  /** The object as a JSON tree (maps, lists, values), or its {@code toString()} when the SDK cannot write it. */
  static Object tree(Object value) {
    if (value == null || value instanceof java.util.Map || value instanceof java.util.List) {
      // Already a JSON tree: the params a server received, as the SDK's mapper read them.
      return value;
    }
    Method[] methods = MAPPER.get(value.getClass());
    if (methods != null) {
      try {
        return Json.parse((String) methods[1].invoke(methods[0].invoke(null), value));
      } catch (Exception e) {
        // the text below
      }
    }
    return String.valueOf(value);
  }
}
