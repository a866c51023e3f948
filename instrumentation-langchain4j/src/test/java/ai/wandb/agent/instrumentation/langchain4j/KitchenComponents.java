package ai.wandb.agent.instrumentation.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.service.tool.ToolExecutor;
import java.util.ArrayList;
import java.util.List;

/** Components an app writes itself, outside LangChain4j's packages: retriever, embedding model, chat model, tool executor. */
final class KitchenComponents {
  private KitchenComponents() {}

  /** A retriever class that extends an app base class, so it implements ContentRetriever only through its super class. */
  static final class MenuRetriever extends BaseRetriever {
    @Override
    public List<Content> retrieve(Query query) {
      return List.of(Content.from("Today's menu: lentil soup."));
    }
  }

  abstract static class BaseRetriever implements ContentRetriever {}

  /** Embeds a text as its letter counts: no model server needed. */
  static final class LetterCountEmbeddingModel implements EmbeddingModel {
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
      List<Embedding> embeddings = new ArrayList<>();
      for (TextSegment segment : segments) {
        String text = segment.text();
        embeddings.add(Embedding.from(new float[] {text.length(), text.chars().filter(c -> c == 'e').count(), 1, 0}));
      }
      return Response.from(embeddings, new TokenUsage(segments.size() * 3));
    }
  }

  /** An app's wrapper around a provider's model: it logs, then hands the call on. */
  static final class LoggingChatModel implements ChatModel {
    final List<String> log = new ArrayList<>();
    private final ChatModel delegate;

    LoggingChatModel(ChatModel delegate) {
      this.delegate = delegate;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      log.add("asked: " + request.messages().size() + " message(s)");
      return delegate.chat(request);
    }
  }

  /** A tool executor class of the app's own, registered with a hand-written ToolSpecification. */
  static final class FahrenheitExecutor implements ToolExecutor {
    @Override
    public String execute(ToolExecutionRequest request, Object memoryId) {
      return "70 °F";
    }
  }
}
