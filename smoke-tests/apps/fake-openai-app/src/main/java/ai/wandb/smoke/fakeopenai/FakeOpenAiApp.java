package ai.wandb.smoke.fakeopenai;

import com.openai.core.RequestOptions;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.services.blocking.chat.ChatCompletionServiceImpl;

/** Two calls that succeed and one that fails with a hostile exception; prints what it got. */
public final class FakeOpenAiApp {
  private FakeOpenAiApp() {}

  public static void main(String[] args) {
    ChatCompletionServiceImpl service = new ChatCompletionServiceImpl();
    for (String question : new String[] {"one", "two", "hostile three"}) {
      try {
        System.out.println(service.create(new ChatCompletionCreateParams(question), new RequestOptions()));
      } catch (ChatCompletionServiceImpl.HostileException e) {
        System.out.println("failed: " + question);
      }
    }
  }
}
