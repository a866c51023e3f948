package ai.wandb.examples.openaitour;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.beta.assistants.AssistantStreamEvent;
import com.openai.models.beta.threads.ThreadCreateAndRunParams;
import com.openai.models.beta.threads.runs.Run;
import com.openai.models.beta.threads.runs.RunCreateParams;
import com.openai.models.beta.threads.runs.RunSubmitToolOutputsParams;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCompactParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStreamEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A tour of openai-java: one call on every path an application can take (chat, Responses, embeddings,
 * legacy completions, Assistants; blocking, async, streaming; raw responses, options copies, structured
 * outputs), printing one line per step. Point it at any OpenAI-compatible server with
 * {@code OPENAI_BASE_URL} (and {@code OPENAI_API_KEY}); without {@code OPENAI_API_KEY} it answers from an
 * {@link OfflineTourEndpoint} on loopback. It knows nothing of any agent.
 */
public final class OpenAiTour {
  private static final String MODEL = "gpt-4o-mini";
  private static final String THREAD = "thread_abc123";
  private static final String RUN = "run_abc123";
  static final String RESPONSE = "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b";

  private final OpenAIClient client;
  private final OpenAIClientAsync async;
  private int failures;

  private OpenAiTour(OpenAIClient client, OpenAIClientAsync async) {
    this.client = client;
    this.async = async;
  }

  /** The structured answer of {@link #structuredOutput()}. */
  public static class SearchUrl {
    public String url;
  }

  public static void main(String[] args) throws java.io.IOException {
    String key = System.getenv("OPENAI_API_KEY");
    if (key != null && !key.isBlank()) {
      System.exit(tour(OpenAIOkHttpClient.builder().fromEnv(), OpenAIOkHttpClientAsync.builder().fromEnv()));
    }
    System.err.println("[openai-tour] OPENAI_API_KEY is not set: answering from the built-in offline endpoint"
        + " (responses recorded from OpenAI, not from a model)");
    int status;
    try (OfflineTourEndpoint endpoint = OfflineTourEndpoint.start()) {
      status = tour(OpenAIOkHttpClient.builder().baseUrl(endpoint.baseUrl()).apiKey("offline"),
          OpenAIOkHttpClientAsync.builder().baseUrl(endpoint.baseUrl()).apiKey("offline"));
    }
    System.exit(status);
  }

  private static int tour(OpenAIOkHttpClient.Builder clientBuilder, OpenAIOkHttpClientAsync.Builder asyncBuilder) {
    OpenAIClient client = clientBuilder.maxRetries(0).build();
    OpenAIClientAsync async = asyncBuilder.maxRetries(0).build();
    OpenAiTour tour = new OpenAiTour(client, async);
    tour.runAll();
    client.close();
    async.close();
    return tour.failures == 0 ? 0 : 1;
  }

  private void runAll() {
    step("chat", this::chat);
    step("chat raw response", this::chatRaw);
    step("chat structured output", this::structuredOutput);
    step("chat with options", this::chatWithOptions);
    step("chat stream", this::chatStream);
    step("chat stream closed early", this::chatStreamClosedEarly);
    step("chat async", this::chatAsync);
    step("chat async stream", this::chatAsyncStream);
    serverErrorStep("chat server error", this::chat);
    step("responses", this::responses);
    step("responses stream", this::responsesStream);
    step("responses async", this::responsesAsync);
    step("responses resume stream", this::responsesResume);
    step("responses compact", this::responsesCompact);
    step("embeddings", this::embeddings);
    step("embeddings async", this::embeddingsAsync);
    step("completions", this::completions);
    step("completions stream", this::completionsStream);
    step("assistants run", this::run);
    step("assistants run stream", this::runStream);
    step("assistants create and run", this::createAndRun);
    step("assistants submit tool outputs", this::submitToolOutputs);
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

  /**
   * The error path on purpose: the offline endpoint (and the test server) answer this call with a 500,
   * which is what the step is there to show, so that answer is not a failure of the tour.
   */
  private void serverErrorStep(String name, Step step) {
    try {
      System.out.println(name + ": " + step.run());
    } catch (com.openai.errors.InternalServerException e) {
      System.out.println(name + ": failed as intended: " + e.getClass().getSimpleName());
    } catch (Exception e) {
      failures++;
      System.out.println(name + ": failed: " + e.getClass().getSimpleName());
    }
  }

  @SuppressWarnings("deprecation") // seed is deprecated in newer SDKs, and still sent
  private static ChatCompletionCreateParams question() {
    return ChatCompletionCreateParams.builder().model(MODEL)
        .addSystemMessage("You write GitHub search URLs.").addUserMessage("find java yaml parsers")
        .temperature(0.2).maxCompletionTokens(200L).seed(42L).build();
  }

  private static String text(ChatCompletion completion) {
    return completion.choices().get(0).message().content().orElse("");
  }

  private String chat() {
    return text(client.chat().completions().create(question()));
  }

  private String chatRaw() {
    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(question());
    return raw.statusCode() + " " + text(raw.parse());
  }

  private String structuredOutput() {
    return client.chat().completions().create(question().toBuilder().responseFormat(SearchUrl.class).build())
        .choices().get(0).message().content().map(answer -> answer.url).orElse("");
  }

  private String chatWithOptions() {
    return text(client.chat().completions().withOptions(options -> options.timeout(Duration.ofSeconds(30)))
        .create(question()));
  }

  private static String deltas(java.util.stream.Stream<ChatCompletionChunk> chunks) {
    return chunks.flatMap(chunk -> chunk.choices().stream())
        .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
  }

  private String chatStream() {
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
      return deltas(stream.stream());
    }
  }

  private String chatStreamClosedEarly() {
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      chunks.next();
      return deltas(java.util.stream.Stream.of(chunks.next()));
    }
  }

  private String chatAsync() throws Exception {
    return async.chat().completions().create(question()).thenApply(OpenAiTour::text).get(30, TimeUnit.SECONDS);
  }

  private String chatAsyncStream() throws Exception {
    StringBuilder text = new StringBuilder();
    AsyncStreamResponse<ChatCompletionChunk> stream = async.chat().completions().createStreaming(question());
    stream.subscribe(new AsyncStreamResponse.Handler<ChatCompletionChunk>() {
      @Override
      public void onNext(ChatCompletionChunk chunk) {
        chunk.choices().forEach(choice -> text.append(choice.delta().content().orElse("")));
      }

      @Override
      public void onComplete(Optional<Throwable> error) {}
    });
    stream.onCompleteFuture().get(30, TimeUnit.SECONDS);
    return text.toString();
  }

  private static ResponseCreateParams responseRequest() {
    return ResponseCreateParams.builder().model("gpt-4.1-mini").instructions("You write GitHub search URLs.")
        .input("find java yaml parsers").maxOutputTokens(300L).build();
  }

  private String responses() {
    return client.responses().create(responseRequest()).id();
  }

  private static long count(StreamResponse<ResponseStreamEvent> stream) {
    try (StreamResponse<ResponseStreamEvent> events = stream) {
      return events.stream().count();
    }
  }

  private String responsesStream() {
    return count(client.responses().createStreaming(responseRequest())) + " events";
  }

  private String responsesAsync() throws Exception {
    return async.responses().create(responseRequest()).get(30, TimeUnit.SECONDS).id();
  }

  private String responsesResume() {
    return count(client.responses().retrieveStreaming(ResponseRetrieveParams.builder().responseId(RESPONSE).build()))
        + " events";
  }

  private String responsesCompact() {
    return client.responses().compact(ResponseCompactParams.builder().model("gpt-5.1")
        .previousResponseId(RESPONSE).build()).id();
  }

  private static EmbeddingCreateParams embeddingRequest() {
    return EmbeddingCreateParams.builder().model("text-embedding-3-small")
        .inputOfArrayOfStrings(List.of("yaml parser", "json parser")).build();
  }

  private String embeddings() {
    return client.embeddings().create(embeddingRequest()).data().size() + " vectors";
  }

  private String embeddingsAsync() throws Exception {
    return async.embeddings().create(embeddingRequest()).get(30, TimeUnit.SECONDS).data().size() + " vectors";
  }

  private static CompletionCreateParams completionRequest() {
    return CompletionCreateParams.builder().model("gpt-3.5-turbo-instruct").prompt("Say this is a test")
        .maxTokens(7L).build();
  }

  private String completions() {
    return client.completions().create(completionRequest()).choices().get(0).text().trim();
  }

  private String completionsStream() {
    try (StreamResponse<Completion> stream = client.completions().createStreaming(completionRequest())) {
      return stream.stream().map(chunk -> chunk.choices().get(0).text()).collect(Collectors.joining()).trim();
    }
  }

  @SuppressWarnings("deprecation") // the Assistants API is deprecated, and still used
  private static RunCreateParams runRequest() {
    return RunCreateParams.builder().threadId(THREAD).assistantId("asst_abc123").build();
  }

  @SuppressWarnings("deprecation") // the Assistants API is deprecated, and still used
  private String run() {
    return client.beta().threads().runs().create(runRequest()).status().toString();
  }

  @SuppressWarnings("deprecation")
  private String runStream() {
    try (StreamResponse<AssistantStreamEvent> stream = client.beta().threads().runs().createStreaming(runRequest())) {
      return stream.stream().count() + " events";
    }
  }

  @SuppressWarnings("deprecation")
  private String createAndRun() {
    Run run = client.beta().threads().createAndRun(ThreadCreateAndRunParams.builder().assistantId("asst_abc123").build());
    return run.status().toString();
  }

  @SuppressWarnings("deprecation")
  private String submitToolOutputs() {
    return client.beta().threads().runs().submitToolOutputs(RunSubmitToolOutputsParams.builder()
        .threadId(THREAD).runId(RUN)
        .addToolOutput(RunSubmitToolOutputsParams.ToolOutput.builder().toolCallId("call_001").output("42").build())
        .build()).status().toString();
  }
}
