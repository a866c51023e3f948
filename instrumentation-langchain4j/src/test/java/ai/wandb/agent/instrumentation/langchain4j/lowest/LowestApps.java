package ai.wandb.agent.instrumentation.langchain4j.lowest;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.List;

/**
 * Apps written in a way only older LangChain4j allows (up to 1.10, {@code EmbeddingModel} has one abstract
 * method, so it can be a lambda): compiled only by instrumentation-langchain4j-lowest (the newest-version
 * module excludes this package) and called by the scenario suite through reflection.
 */
public final class LowestApps {
  private LowestApps() {}

  /** Ingests one document with an embedding model written as a lambda; returns the stored count. */
  public static int ingestWithALambdaModel(String text) {
    EmbeddingModel model = segments -> Response.<List<Embedding>>from(segments.stream()
        .map(segment -> Embedding.from(new float[] {segment.text().length(), 1}))
        .toList());
    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    EmbeddingStoreIngestor.builder().embeddingModel(model).embeddingStore(store).build()
        .ingest(Document.from(text));
    return store.search(dev.langchain4j.store.embedding.EmbeddingSearchRequest.builder()
        .queryEmbedding(Embedding.from(new float[] {text.length(), 1})).maxResults(5).build()).matches().size();
  }
}
