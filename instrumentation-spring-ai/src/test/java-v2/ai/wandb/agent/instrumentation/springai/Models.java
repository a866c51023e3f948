package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.instrumentation.anthropic.AnthropicInstrumentationModule;
import ai.wandb.agent.instrumentation.executors.ExecutorsInstrumentationModule;
import ai.wandb.agent.instrumentation.googlegenai.GoogleGenAiInstrumentationModule;
import ai.wandb.agent.instrumentation.mcp.McpInstrumentationModule;
import ai.wandb.agent.instrumentation.openai.OpenAiInstrumentationModule;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;

/** Spring AI 2.x: the OpenAI models run on openai-java, configured through their options. */
final class Models {
  /** The tool loop runs in ChatClient's ToolCallingAdvisor; a direct model call is one round trip. */
  static final boolean LOOP_IN_MODEL = false;
  /** The model's HTTP call is an openai-java call, traced as its own span under spring_ai.chat. */
  static final boolean SDK_SPAN = true;

  private Models() {}

  /**
   * The modules the tests install (once per JVM, so every test class names the same): with the SDKs
   * Spring AI 2.x builds on (and MCP's, under its MCP tool callbacks).
   */
  static InstrumentationModule[] modules() {
    return new InstrumentationModule[] {new SpringAiInstrumentationModule(), new OpenAiInstrumentationModule(),
        new AnthropicInstrumentationModule(), new GoogleGenAiInstrumentationModule(), new McpInstrumentationModule(),
        new ExecutorsInstrumentationModule()};
  }

  static ChatModel chat(String baseUrl) {
    return OpenAiChatModel.builder()
        .options(OpenAiChatOptions.builder().baseUrl(baseUrl).apiKey("sk-test").model("gpt-4o-mini")
            .temperature(0.2).maxRetries(0).build())
        .build();
  }

  static EmbeddingModel embedding(String baseUrl) {
    return OpenAiEmbeddingModel.builder()
        .options(OpenAiEmbeddingOptions.builder().baseUrl(baseUrl).apiKey("sk-test")
            .model("text-embedding-3-small").maxRetries(0).build())
        .build();
  }

  /** Asks for usage on a stream, as Spring AI documents it. */
  static ChatClient.ChatClientRequestSpec streamUsage(ChatClient.ChatClientRequestSpec spec) {
    return spec.options(OpenAiChatOptions.builder().streamUsage(true));
  }

  static final String MEMORY_ADVISOR = "MessageChatMemoryAdvisor";

  /** 2.0 removed PromptChatMemoryAdvisor: its message memory advisor stands in. */
  static Advisor memoryAdvisor(ChatMemory memory) {
    return MessageChatMemoryAdvisor.builder(memory).build();
  }
}
