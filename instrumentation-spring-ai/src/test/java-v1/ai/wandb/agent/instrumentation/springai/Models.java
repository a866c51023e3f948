package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.instrumentation.executors.ExecutorsInstrumentationModule;
import ai.wandb.agent.instrumentation.openai.OpenAiInstrumentationModule;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.PromptChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.retry.RetryUtils;

/** Spring AI 1.x: the OpenAI models talk through Spring AI's own OpenAiApi client. */
final class Models {
  /** The tool loop runs inside the model's call (internal tool execution). */
  static final boolean LOOP_IN_MODEL = true;
  static final boolean SDK_SPAN = false;

  private Models() {}

  /** The modules the tests install (once per JVM, so every test class names the same). */
  static InstrumentationModule[] modules() {
    return new InstrumentationModule[] {new SpringAiInstrumentationModule(), new OpenAiInstrumentationModule(),
        new ExecutorsInstrumentationModule()};
  }

  private static OpenAiApi api(String baseUrl) {
    // Spring AI 1.x appends /v1/chat/completions itself.
    return OpenAiApi.builder().baseUrl(baseUrl.substring(0, baseUrl.length() - "/v1".length())).apiKey("sk-test")
        .build();
  }

  static ChatModel chat(String baseUrl) {
    return chat(baseUrl, ToolCallingManager.builder().build());
  }

  /** With the tool manager an app's context builds (its resolver finds tools by name, e.g. Spring beans). */
  static ChatModel chat(String baseUrl, ToolCallingManager toolCallingManager) {
    return OpenAiChatModel.builder().openAiApi(api(baseUrl)).toolCallingManager(toolCallingManager)
        .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").temperature(0.2).build())
        .retryTemplate(RetryUtils.SHORT_RETRY_TEMPLATE)
        .build();
  }

  static EmbeddingModel embedding(String baseUrl) {
    return new OpenAiEmbeddingModel(api(baseUrl), MetadataMode.EMBED,
        OpenAiEmbeddingOptions.builder().model("text-embedding-3-small").build(), RetryUtils.SHORT_RETRY_TEMPLATE);
  }

  /** Asks for usage on a stream, as Spring AI documents it. */
  static ChatClient.ChatClientRequestSpec streamUsage(ChatClient.ChatClientRequestSpec spec) {
    return spec.options(OpenAiChatOptions.builder().streamUsage(true).build());
  }

  static final String MEMORY_ADVISOR = "PromptChatMemoryAdvisor";

  /** The memory advisor that puts the conversation into the system prompt (1.x only). */
  static Advisor memoryAdvisor(ChatMemory memory) {
    return PromptChatMemoryAdvisor.builder(memory).build();
  }
}
