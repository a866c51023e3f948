package ai.wandb.examples.gemini;

import com.google.genai.Chat;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ClientException;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import com.google.genai.types.Tool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An ordinary google-genai app: a generation, a stream, a two-turn chat, a function the SDK runs for the
 * model, an embedding, a token count, an async call and a quota error, one line per step. With
 * {@code GOOGLE_API_KEY} or {@code GEMINI_API_KEY} it asks Gemini; without, it answers from an
 * {@link OfflineGeminiEndpoint} on loopback. It knows nothing of any agent.
 */
public final class GeminiAssistant {
  private static final String MODEL = "gemini-2.5-flash";
  private static final String EMBEDDING_MODEL = "gemini-embedding-001";
  /**
   * The SDK logs each round of function calling at INFO; this app prints its own lines. Held in a field:
   * the logging framework keeps loggers only weakly, and a collected one would lose its level.
   */
  private static final Logger SDK_LOG = Logger.getLogger("com.google.genai");

  private final Client client;
  private int failures;

  private GeminiAssistant(Client client) {
    this.client = client;
  }

  /** The function the model may call; the SDK calls it by reflection, so it is public and static. */
  public static final class Stars {
    private Stars() {}

    public static Integer starCount(String repository) {
      return repository.toLowerCase(java.util.Locale.ROOT).contains("snakeyaml") ? 1024 : 0;
    }
  }

  public static void main(String[] args) throws Exception {
    SDK_LOG.setLevel(Level.WARNING);
    String key = System.getenv("GOOGLE_API_KEY") != null ? System.getenv("GOOGLE_API_KEY")
        : System.getenv("GEMINI_API_KEY");
    if (key != null && !key.isBlank()) {
      System.exit(run(Client.builder().apiKey(key).build()));
    }
    System.err.println("[gemini-assistant] GOOGLE_API_KEY is not set: answering from the built-in offline endpoint"
        + " (canned answers in the Gemini API's shapes, not from a model)");
    int status;
    try (OfflineGeminiEndpoint endpoint = OfflineGeminiEndpoint.start()) {
      // No retries: the SDK retries a 429 with backoff for half a minute, and the quota step's 429 is on purpose.
      status = run(Client.builder().apiKey("offline").httpOptions(HttpOptions.builder().baseUrl(endpoint.baseUrl())
          .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build()).build());
    }
    System.exit(status);
  }

  private static int run(Client client) {
    GeminiAssistant assistant = new GeminiAssistant(client);
    assistant.runAll();
    return assistant.failures == 0 ? 0 : 1;
  }

  private void runAll() {
    step("generate", () -> client.models.generateContent(MODEL, "find java yaml parsers", config()).text());
    step("stream", this::stream);
    step("chat", this::chat);
    step("function call", () -> client.models.generateContent(MODEL, "How many stars has snakeyaml/snakeyaml?",
        GenerateContentConfig.builder().tools(List.of(Tool.builder()
            .functions(List.of(Stars.class.getMethod("starCount", String.class))).build())).build()).text());
    step("embedding", () -> client.models.embedContent(EMBEDDING_MODEL, "yaml parser", null)
        .embeddings().get().get(0).values().get().size() + " dimensions");
    step("count tokens", () -> client.models.countTokens(MODEL, "find java yaml parsers", null)
        .totalTokens().get() + " tokens");
    step("async", () -> client.async.models.generateContent(MODEL, "find rust http clients", config())
        .thenApply(GenerateContentResponse::text).get(30, TimeUnit.SECONDS));
    quotaStep();
  }

  private static GenerateContentConfig config() {
    return GenerateContentConfig.builder()
        .systemInstruction(Content.fromParts(Part.fromText("You answer with one GitHub repository search URL.")))
        .temperature(0.2f).maxOutputTokens(200).build();
  }

  private String stream() {
    StringBuilder text = new StringBuilder();
    try (ResponseStream<GenerateContentResponse> stream =
        client.models.generateContentStream(MODEL, "find kotlin json libraries", config())) {
      for (GenerateContentResponse chunk : stream) {
        text.append(chunk.text());
      }
    }
    return text.toString();
  }

  private String chat() {
    Chat chat = client.chats.create(MODEL, config());
    chat.sendMessage("find java yaml parsers");
    String answer = chat.sendMessage("only ones that stream").text();
    return answer + " (" + chat.getHistory(false).size() + " turns)";
  }

  private interface Step {
    String run() throws Exception;
  }

  private void step(String name, Step step) {
    try {
      System.out.println(name + ": " + step.run());
    } catch (Exception e) {
      failures++;
      System.out.println(name + ": failed: " + e.getClass().getSimpleName());
    }
  }

  /** The error path on purpose: the offline endpoint answers this question with 429 RESOURCE_EXHAUSTED. */
  private void quotaStep() {
    try {
      System.out.println("quota: " + client.models.generateContent(MODEL, "quota-demo: find go web frameworks", null)
          .text());
    } catch (ClientException e) {
      System.out.println("quota: failed as intended: " + e.getClass().getSimpleName() + " " + e.code());
    } catch (Exception e) {
      failures++;
      System.out.println("quota: failed: " + e.getClass().getSimpleName());
    }
  }
}
