package dev.langchain4j.model.wandbtest;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

/**
 * Providers shaped like LangChain4j's HuggingFace, Jlama or Vertex AI models, which override
 * {@code chat(...)} itself instead of {@code doChat(...)}. In a {@code dev.langchain4j.model} package
 * and named {@code ...ChatModel}, as those providers are, because that is where the agent looks.
 */
public final class OverridingChatModels {
  private OverridingChatModels() {}

  public static final class BlockingChatModel implements ChatModel {
    @Override
    public ChatResponse chat(ChatRequest request) {
      return ChatResponse.builder().aiMessage(AiMessage.from("echo: " + request.messages().size())).build();
    }
  }

  /** Answers on the calling thread, before {@code chat} returns, as in-process models do. */
  public static final class StreamingChatModel implements dev.langchain4j.model.chat.StreamingChatModel {
    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
      handler.onPartialResponse("echo");
      handler.onPartialResponse(": 1");
      handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("echo: 1")).build());
    }
  }
}
