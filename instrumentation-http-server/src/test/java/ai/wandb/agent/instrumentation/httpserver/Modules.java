package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.instrumentation.executors.ExecutorsInstrumentationModule;
import ai.wandb.agent.instrumentation.springai.SpringAiInstrumentationModule;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.retry.RetryUtils;

/** What every test class installs (instrumentation is installed once per JVM), and the model client. */
final class Modules {
  private Modules() {}

  static InstrumentationModule[] all() {
    return new InstrumentationModule[] {new HttpServerInstrumentationModule.Javax(),
        new HttpServerInstrumentationModule.Jakarta(), new HttpServerInstrumentationModule.WebFlux(),
        new SpringAiInstrumentationModule(), new ExecutorsInstrumentationModule()};
  }

  /** Spring AI 1.0's ChatClient on its own OpenAiApi, talking to the stand-in at {@code baseUrl} (…/v1). */
  static ChatClient chatClient(String baseUrl) {
    OpenAiApi api = OpenAiApi.builder().baseUrl(baseUrl.substring(0, baseUrl.length() - "/v1".length()))
        .apiKey("sk-test").build();
    return ChatClient.create(OpenAiChatModel.builder().openAiApi(api)
        .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").build())
        .retryTemplate(RetryUtils.SHORT_RETRY_TEMPLATE).build());
  }
}
