package ai.wandb.smoke.unitofwork;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Answers one question per line of stdin against {@code OPENAI_BASE_URL}: {@code ask <q>} goes through
 * {@link Assistant} (plain methods), {@code research <topic>} through {@link Researcher} (@WithSpan);
 * {@code brainstorm <topic>} and {@code survey <topic>} are the same two, with their model calls made on an
 * executor and on the common pool. Prints
 * {@code ready} at start and {@code done <n>} after each line, so a test can time what it does.
 */
public final class UnitOfWorkApp {
  private UnitOfWorkApp() {}

  public static void main(String[] args) throws IOException, InterruptedException, ExecutionException {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(System.getenv("OPENAI_BASE_URL"))
        .apiKey(System.getenv("OPENAI_API_KEY"))
        .maxRetries(0)
        .build();
    ExecutorService workers = Executors.newFixedThreadPool(2);
    Assistant assistant = new Assistant(new Model(client), workers);
    Researcher researcher = new Researcher(new Model(client), workers);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ready");
    int handled = 0;
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("ask ")) {
          System.out.println(assistant.answer(line.substring(4)));
        } else if (line.startsWith("research ")) {
          System.out.println(researcher.research(line.substring(9), 2));
        } else if (line.startsWith("brainstorm ")) {
          System.out.println(assistant.brainstorm(line.substring(11)));
        } else if (line.startsWith("survey ")) {
          System.out.println(researcher.survey(line.substring(7)));
        }
        System.out.println("done " + ++handled);
      }
    } finally {
      workers.shutdown();
      client.close();
    }
  }
}
