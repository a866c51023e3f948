package ai.wandb.agent.bench;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

/** The LangChain4j one-call app of the startup benchmark: one chat call to a loopback endpoint, then exit. */
public final class LangChain4jOneCall {
    private LangChain4jOneCall() {}

    public static void main(String[] args) throws Exception {
        try (LoopbackOpenAi endpoint = LoopbackOpenAi.start()) {
            ChatModel model = OpenAiChatModel.builder()
                    .baseUrl(endpoint.baseUrl())
                    .apiKey("benchmark")
                    .modelName(CannedChat.MODEL)
                    .maxRetries(0)
                    .build();
            System.out.println(model.chat(CannedChat.QUESTION));
        }
    }
}
