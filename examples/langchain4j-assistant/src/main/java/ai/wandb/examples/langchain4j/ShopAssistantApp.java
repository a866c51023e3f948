package ai.wandb.examples.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openaiofficial.OpenAiOfficialChatModel;
import dev.langchain4j.model.openaiofficial.OpenAiOfficialStreamingChatModel;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A shop assistant built the ordinary LangChain4j way: an AI service with chat memory per customer,
 * two tools (a slow order lookup and a cancellation that fails), and retrieval of shop policies from
 * an in-memory embedding store. It asks one question through a blocking service and one through a
 * streaming service.
 *
 * <p>Usage: {@code java -jar langchain4j-assistant.jar [open-ai | open-ai-official]} picks the
 * LangChain4j provider module (default {@code open-ai}). With {@code OPENAI_API_KEY} set it talks to
 * OpenAI; without it, to a built-in {@link OfflineOpenAiEndpoint} on loopback that answers with tool
 * calls. Exit status: 0 when both questions were answered, 1 otherwise, 2 on bad usage.
 */
public final class ShopAssistantApp {
    static final String BLOCKING_QUESTION = "Where is my order A-17? Please cancel it.";
    static final String STREAMING_QUESTION = "Where is my order B-42? Please cancel it.";
    static final List<String> POLICIES = List.of(
            "Shipped orders cannot be cancelled; they can be returned within 30 days of delivery.",
            "Gift cards are delivered by email within one hour of purchase.",
            "Express shipping costs 9 euros and arrives the next working day.");
    private static final String MODEL = "gpt-4o-mini";
    private static final String USAGE = "usage: java -jar langchain4j-assistant.jar [open-ai | open-ai-official]";

    interface ShopAssistant {
        @SystemMessage("You are the assistant of an online shop. Use the tools to look up and cancel orders.")
        String chat(@MemoryId String customer, @UserMessage String message);
    }

    interface StreamingShopAssistant {
        @SystemMessage("You are the assistant of an online shop. Use the tools to look up and cancel orders.")
        TokenStream chat(@MemoryId String customer, @UserMessage String message);
    }

    private ShopAssistantApp() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String provider = args.length == 0 ? "open-ai" : args[0];
        if (args.length > 1 || !(provider.equals("open-ai") || provider.equals("open-ai-official"))) {
            err.println(USAGE);
            return 2;
        }
        String apiKey = env.getOrDefault("OPENAI_API_KEY", "");
        if (!apiKey.isBlank()) {
            return answer(provider, env.getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1"), apiKey, out, err);
        }
        err.println("[langchain4j-assistant] OPENAI_API_KEY is not set: answering from the built-in offline"
                + " endpoint (answers are canned, not from a model)");
        try (OfflineOpenAiEndpoint endpoint = OfflineOpenAiEndpoint.start()) {
            return answer(provider, endpoint.baseUrl(), "offline-demo", out, err);
        } catch (IOException e) {
            err.println("[langchain4j-assistant] cannot start the offline endpoint: " + e.getMessage());
            return 1;
        }
    }

    private static int answer(String provider, String baseUrl, String apiKey, PrintStream out, PrintStream err) {
        ContentRetriever policies = policyRetriever();
        OrderTools tools = new OrderTools(out);
        ShopAssistant assistant = AiServices.builder(ShopAssistant.class)
                .chatModel(chatModel(provider, baseUrl, apiKey))
                .chatMemoryProvider(customer -> MessageWindowChatMemory.withMaxMessages(20))
                .contentRetriever(policies)
                .tools(tools)
                .build();
        StreamingShopAssistant streaming = AiServices.builder(StreamingShopAssistant.class)
                .streamingChatModel(streamingModel(provider, baseUrl, apiKey))
                .chatMemoryProvider(customer -> MessageWindowChatMemory.withMaxMessages(20))
                .contentRetriever(policies)
                .tools(tools)
                .build();

        out.println("alice: " + BLOCKING_QUESTION);
        out.println("assistant: " + assistant.chat("alice", BLOCKING_QUESTION));

        out.println("bob: " + STREAMING_QUESTION);
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder streamed = new StringBuilder();
        streaming.chat("bob", STREAMING_QUESTION)
                .onPartialResponse(streamed::append)
                .onCompleteResponse(done::complete)
                .onError(done::completeExceptionally)
                .start();
        try {
            done.get(60, TimeUnit.SECONDS);
            out.println("assistant (streamed): " + streamed);
            return 0;
        } catch (ExecutionException | TimeoutException e) {
            err.println("[langchain4j-assistant] the streamed answer failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static ContentRetriever policyRetriever() {
        EmbeddingModel embeddings = new KeywordEmbeddingModel();
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        List<TextSegment> segments = POLICIES.stream().map(TextSegment::from).collect(Collectors.toList());
        store.addAll(embeddings.embedAll(segments).content(), segments);
        return EmbeddingStoreContentRetriever.builder()
                .embeddingStore(store)
                .embeddingModel(embeddings)
                .maxResults(1)
                .build();
    }

    private static ChatModel chatModel(String provider, String baseUrl, String apiKey) {
        if (provider.equals("open-ai-official")) {
            return OpenAiOfficialChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).modelName(MODEL)
                    .temperature(0.2).maxRetries(0).build();
        }
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).modelName(MODEL)
                .temperature(0.2).maxRetries(0).build();
    }

    private static StreamingChatModel streamingModel(String provider, String baseUrl, String apiKey) {
        if (provider.equals("open-ai-official")) {
            return OpenAiOfficialStreamingChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).modelName(MODEL)
                    .temperature(0.2).build();
        }
        return OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).modelName(MODEL)
                .temperature(0.2).build();
    }
}
