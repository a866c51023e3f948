package ai.wandb.smoke.unitofwork;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/** One chat call; the app's steps share it. */
final class Model {
  private final OpenAIClient client;

  Model(OpenAIClient client) {
    this.client = client;
  }

  String complete(String prompt) {
    return client.chat().completions().create(ChatCompletionCreateParams.builder()
            .model("gpt-4o-mini").addUserMessage(prompt).build())
        .choices().get(0).message().content().orElse("");
  }
}
