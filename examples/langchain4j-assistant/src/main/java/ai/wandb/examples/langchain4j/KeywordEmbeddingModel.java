package ai.wandb.examples.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic, offline embedding model: the first five letters of each word (a crude stem, so that
 * "cancel" meets "cancelled") are hashed into one of {@link #DIMENSION} buckets and the vector is
 * normalized, so texts that share words are close. Good enough to retrieve the right
 * shop policy without a network or a model download.
 */
final class KeywordEmbeddingModel implements EmbeddingModel {
    static final int DIMENSION = 256;

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<Embedding> embeddings = new ArrayList<>();
        for (TextSegment segment : segments) {
            embeddings.add(Embedding.from(vector(segment.text())));
        }
        return Response.from(embeddings);
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    private static float[] vector(String text) {
        float[] vector = new float[DIMENSION];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() > 2) {
                String stem = word.substring(0, Math.min(5, word.length()));
                vector[Math.floorMod(stem.hashCode(), DIMENSION)] += 1;
            }
        }
        double norm = 0;
        for (float value : vector) {
            norm += value * value;
        }
        if (norm > 0) {
            for (int i = 0; i < vector.length; i++) {
                vector[i] /= (float) Math.sqrt(norm);
            }
        }
        return vector;
    }
}
