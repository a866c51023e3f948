package ai.wandb.smoke.servlet;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Drafts an answer, then polishes it: two model calls per request. */
final class AskServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient OpenAIClient client;

  AskServlet(OpenAIClient client) {
    this.client = client;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String question = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String draft = complete("Draft an answer to: " + question);
    String answer = complete("Polish: " + draft);
    response.setContentType("text/plain");
    response.getWriter().write(answer);
  }

  private String complete(String prompt) {
    return client.chat().completions().create(ChatCompletionCreateParams.builder()
            .model("gpt-4o-mini").addUserMessage(prompt).build())
        .choices().get(0).message().content().orElse("");
  }
}
