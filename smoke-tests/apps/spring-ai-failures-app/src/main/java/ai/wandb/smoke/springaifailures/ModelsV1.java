package ai.wandb.smoke.springaifailures;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/** Spring AI 1.x: the OpenAI model on its OpenAiApi, whose RestClient and WebClient run on Reactor Netty. */
final class ModelsV1 {
  private ModelsV1() {}

  static ChatModel chat(String url) {
    ReactorClientHttpRequestFactory requests = new ReactorClientHttpRequestFactory();
    requests.setReadTimeout(Models.TIMEOUT);
    OpenAiApi api = OpenAiApi.builder().baseUrl(url).apiKey("sk-test")
        .restClientBuilder(RestClient.builder().requestFactory(requests))
        .webClientBuilder(WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create().responseTimeout(Models.TIMEOUT))))
        .build();
    return OpenAiChatModel.builder().openAiApi(api)
        .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").build())
        .retryTemplate(RetryTemplate.builder().maxAttempts(1).build())
        .build();
  }
}
