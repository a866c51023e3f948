package ai.wandb.examples.springai;

import java.util.List;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /ask?customer=...} answers a question; {@code POST /ask/stream} streams the answer and returns it whole. */
@RestController
class AssistantController {
    private final ChatClient chatClient;
    private final OrderTools tools;

    AssistantController(ChatClient chatClient, OrderTools tools) {
        this.chatClient = chatClient;
        this.tools = tools;
    }

    @PostMapping("/ask")
    String ask(@RequestParam(defaultValue = "guest") String customer, @RequestBody String question) {
        return chatClient.prompt()
                .user(question)
                .tools(tools)
                .advisors(advisor -> advisor.param(ChatMemory.CONVERSATION_ID, customer))
                .call()
                .content();
    }

    @PostMapping("/ask/stream")
    String askStreaming(@RequestParam(defaultValue = "guest") String customer, @RequestBody String question) {
        List<String> pieces = chatClient.prompt()
                .user(question)
                .tools(tools)
                .advisors(advisor -> advisor.param(ChatMemory.CONVERSATION_ID, customer))
                .stream()
                .content()
                .collectList()
                .block();
        return pieces == null ? "" : String.join("", pieces);
    }
}
