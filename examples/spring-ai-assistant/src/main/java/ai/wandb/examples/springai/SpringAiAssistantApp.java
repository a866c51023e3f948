package ai.wandb.examples.springai;

import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot shop assistant: one ChatClient with the shop's policy as system text, chat memory per
 * customer, retrieval of policy snippets from a SimpleVectorStore, and the order tools. Without
 * {@code OPENAI_API_KEY} it talks to a built-in loopback OpenAI-compatible endpoint.
 */
@SpringBootApplication
public class SpringAiAssistantApp {

    public static void main(String[] args) throws Exception {
        SpringApplication app = new SpringApplication(SpringAiAssistantApp.class);
        if (System.getenv("OPENAI_API_KEY") == null) {
            OfflineOpenAiEndpoint endpoint = OfflineOpenAiEndpoint.start();
            app.setDefaultProperties(Map.of(
                    "spring.ai.openai.base-url", endpoint.baseUrl(),
                    "spring.ai.openai.api-key", "sk-offline"));
        }
        app.run(args);
    }

    @Bean
    SimpleVectorStore policies(EmbeddingModel embeddingModel) {
        SimpleVectorStore store = SimpleVectorStore.builder(embeddingModel).build();
        store.add(List.of(
                new Document("Orders ship within two business days."),
                new Document("Shipped orders cannot be cancelled; they can be returned within 30 days."),
                new Document("Gift cards never expire.")));
        return store;
    }

    @Bean
    ChatClient chatClient(ChatClient.Builder builder, ChatMemory chatMemory, SimpleVectorStore policies) {
        return builder
                .defaultSystem("You are the shop's assistant. Use the tools for anything about an order.")
                .defaultAdvisors(
                        MessageChatMemoryAdvisor.builder(chatMemory).build(),
                        QuestionAnswerAdvisor.builder(policies)
                                .searchRequest(SearchRequest.builder().topK(2).build())
                                .build())
                .build();
    }
}
