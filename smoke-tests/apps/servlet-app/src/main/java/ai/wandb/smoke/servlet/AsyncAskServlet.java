package ai.wandb.smoke.servlet;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;

/** The same two model calls as {@link AskServlet}, made on a pool thread after {@code startAsync}. */
final class AsyncAskServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient OpenAIClient client;
  private final transient ExecutorService pool;

  AsyncAskServlet(OpenAIClient client, ExecutorService pool) {
    this.client = client;
    this.pool = pool;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String question = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    AsyncContext async = request.startAsync();
    pool.execute(() -> {
      try {
        String draft = complete("Draft an answer to: " + question);
        String answer = complete("Polish: " + draft);
        response.setStatus(202);
        response.setContentType("text/plain");
        response.getWriter().write(answer);
      } catch (IOException | RuntimeException e) {
        response.setStatus(500);
      } finally {
        async.complete();
      }
    });
  }

  private String complete(String prompt) {
    return client.chat().completions().create(ChatCompletionCreateParams.builder()
            .model("gpt-4o-mini").addUserMessage(prompt).build())
        .choices().get(0).message().content().orElse("");
  }
}
