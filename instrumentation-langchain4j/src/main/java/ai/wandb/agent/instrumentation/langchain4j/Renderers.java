package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.SpanRenderer;

/** The one renderer per span kind of this module (stateless, shared by all spans). */
final class Renderers {
  static final SpanRenderer AI_SERVICE = new AiServiceRenderer();
  static final SpanRenderer CHAT = new ChatRenderer();
  static final SpanRenderer TOOL = new ToolRenderer();
  static final SpanRenderer EMBEDDING = new EmbeddingRenderer();
  static final SpanRenderer RETRIEVER = new RetrieverRenderer();

  private Renderers() {}

  /** JSON-ready form of an application value: JSON scalars as they are, anything else as its text. */
  static Object value(Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value.getClass().isEnum()) {
      return ((Enum<?>) value).name();
    }
    return String.valueOf(value);
  }
}
