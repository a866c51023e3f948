package ai.wandb.smoke.oldopenai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/** One chat call to {@code OPENAI_BASE_URL} through openai-java 0.43.0; prints the answer. */
public final class OldOpenAiApp {
  private OldOpenAiApp() {}

  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(System.getenv("OPENAI_BASE_URL"))
        .apiKey(System.getenv("OPENAI_API_KEY"))
        .maxRetries(0)
        .build();
    try {
      ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
          .model("gpt-4o-mini").addUserMessage("say hello").build());
      System.out.println("answer: " + completion.choices().get(0).message().content().orElse(""));
    } finally {
      client.close();
    }
  }
}
