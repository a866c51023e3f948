package ai.wandb.agent.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientImpl;
import com.openai.core.ClientOptions;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/** An openai-java client wired to {@link InMemoryOpenAiHttpClient}, and the one chat call the benchmarks time. */
final class InMemoryChatApp {
    private final OpenAIClient client = client();
    private final ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
            .model(CannedChat.MODEL)
            .addSystemMessage("You write GitHub repository search URLs.")
            .addUserMessage(CannedChat.QUESTION)
            .temperature(0.2)
            .build();

    /** A client whose every call is answered in memory with {@link CannedChat#RESPONSE}. */
    static OpenAIClient client() {
        return new OpenAIClientImpl(ClientOptions.builder()
                .httpClient(new InMemoryOpenAiHttpClient())
                .baseUrl("http://127.0.0.1:9/v1")
                .apiKey("benchmark")
                .maxRetries(0)
                .build());
    }

    ChatCompletion call() {
        return client.chat().completions().create(params);
    }
}
