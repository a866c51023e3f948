package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.SpanKind;

/** The SDK calls the module traces, with their span names (the Python SDK's method names) and GenAI operation names. */
enum GenAiOperation {
  GENERATE("google_genai.models.generate_content", SpanKind.LLM, "chat", false),
  GENERATE_STREAM("google_genai.models.generate_content_stream", SpanKind.LLM, "chat", true),
  EMBED("google_genai.models.embed_content", SpanKind.EMBEDDING, "embeddings", false),
  COUNT_TOKENS("google_genai.models.count_tokens", SpanKind.LLM, "count_tokens", false),
  /** {@code generateContent} with callable tools: the model round trips and the tools the SDK runs, under one span. */
  AUTOMATIC_FUNCTION_CALLING("google_genai.models.generate_content.automatic_function_calling", SpanKind.AGENT,
      "invoke_agent", false),
  CHAT("google_genai.chats.send_message", SpanKind.LLM, "chat", false),
  CHAT_STREAM("google_genai.chats.send_message_stream", SpanKind.LLM, "chat", true);

  final String spanName;
  final SpanKind kind;
  final String operationName;
  final boolean streaming;

  GenAiOperation(String spanName, SpanKind kind, String operationName, boolean streaming) {
    this.spanName = spanName;
    this.kind = kind;
    this.operationName = operationName;
    this.streaming = streaming;
  }

  boolean isChat() {
    return this == CHAT || this == CHAT_STREAM;
  }
}
