package ai.wandb.smoke.geminifailures;

import com.google.genai.Chat;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import java.util.concurrent.TimeUnit;

/**
 * Runs each scenario named on the command line ({@code <fault>/<variant>}; variants: blocking, async,
 * stream, chat, chat-stream) against {@code GEMINI_BASE_URL}: prints the class of what it got to stdout,
 * or the stack trace of what it caught to stderr, the way an app logs a failure.
 */
final class GeminiFailuresApp {
  private GeminiFailuresApp() {}

  public static void main(String[] args) {
    // Closed at the end, as an app closes it: OkHttp's idle connections would keep the JVM up a minute.
    try (Client client = Client.builder().apiKey("test-key").httpOptions(HttpOptions.builder()
        .baseUrl(System.getenv("GEMINI_BASE_URL")).timeout(5000)
        .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build()).build()) {
      for (String scenario : args) {
        try {
          System.out.println(scenario + ": " + run(client, scenario.substring(scenario.indexOf('/') + 1)));
        } catch (Exception e) {
          System.out.println(scenario + ": failed");
          System.err.println(scenario + ":");
          e.printStackTrace();
        }
      }
    }
  }

  private static String run(Client client, String variant) throws Exception {
    switch (variant) {
      case "blocking":
        return client.models.generateContent("gemini-2.5-flash", "find java yaml parsers", null).getClass().getName();
      case "async":
        return client.async.models.generateContent("gemini-2.5-flash", "find java yaml parsers", null)
            .get(10, TimeUnit.SECONDS).getClass().getName();
      case "stream":
        try (ResponseStream<GenerateContentResponse> stream =
            client.models.generateContentStream("gemini-2.5-flash", "find java yaml parsers", null)) {
          return read(stream);
        }
      case "chat":
        return client.chats.create("gemini-2.5-flash").sendMessage("find java yaml parsers").getClass().getName();
      default:
        Chat chat = client.chats.create("gemini-2.5-flash");
        try (ResponseStream<GenerateContentResponse> stream = chat.sendMessageStream("find java yaml parsers")) {
          return read(stream);
        }
    }
  }

  private static String read(ResponseStream<GenerateContentResponse> stream) {
    int chunks = 0;
    for (GenerateContentResponse chunk : stream) {
      chunks++;
    }
    return stream.getClass().getName() + " of " + chunks + " chunks";
  }
}
