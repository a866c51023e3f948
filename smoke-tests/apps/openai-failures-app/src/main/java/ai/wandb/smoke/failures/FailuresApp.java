package ai.wandb.smoke.failures;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.Timeout;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Chat calls the way apps make them, each against its own path of {@code OPENAI_BASE_URL} (where the
 * smoke test queued one way of failing): {@code <scenario>/<variant>} arguments, variant one of
 * {@code blocking}, {@code raw}, {@code async}, {@code stream}, {@code stream-iterator}, {@code async-stream},
 * and {@code stream-consumer-fails}/{@code async-stream-handler-fails}, where the app's own code inside
 * the stream fails. Every failure is printed with {@code printStackTrace()}, the way apps log them;
 * successes print what the app sees of the SDK's objects (classes, text).
 */
public final class FailuresApp {
  private FailuresApp() {}

  public static void main(String[] args) throws Exception {
    String base = System.getenv("OPENAI_BASE_URL");
    for (String scenario : args) {
      System.out.println("== " + scenario);
      System.err.println("== " + scenario);
      String url = base + "/" + scenario + "/v1";
      // A whole-call timeout well below the read timeout: OkHttp then reports a timeout one way only
      // (with both at the same deadline, which of its two timers fires first varies from run to run).
      Timeout timeout = Timeout.builder().request(Duration.ofSeconds(2)).read(Duration.ofSeconds(30)).build();
      OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(url).apiKey("sk-test").maxRetries(0)
          .timeout(timeout).build();
      OpenAIClientAsync asyncClient = OpenAIOkHttpClientAsync.builder().baseUrl(url).apiKey("sk-test").maxRetries(0)
          .timeout(timeout).build();
      try {
        run(scenario.substring(scenario.indexOf('/') + 1), client, asyncClient);
      } catch (Exception e) {
        e.printStackTrace();
      } finally {
        client.close();
        asyncClient.close();
      }
    }
  }

  private static ChatCompletionCreateParams question() {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("find java yaml parsers").build();
  }

  private static void run(String variant, OpenAIClient client, OpenAIClientAsync asyncClient) throws Exception {
    switch (variant) {
      case "blocking": {
        ChatCompletion completion = client.chat().completions().create(question());
        System.out.println(completion.getClass().getName() + ": " + completion.choices().get(0).message().content());
        return;
      }
      case "raw": {
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(question());
        System.out.println(raw.getClass().getName() + " " + raw.statusCode());
        System.out.println(raw.parse().id());
        return;
      }
      case "async": {
        CompletableFuture<ChatCompletion> future = asyncClient.chat().completions().create(question());
        System.out.println(future.getClass().getName());
        try {
          ChatCompletion completion = future.get(10, TimeUnit.SECONDS);
          System.out.println(completion.id());
        } catch (ExecutionException e) {
          e.printStackTrace();
        }
        future.exceptionally(error -> {
          error.printStackTrace();
          return null;
        }).join();
        return;
      }
      case "stream": {
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
          System.out.println(stream.getClass().getName());
          Stream<ChatCompletionChunk> chunks = stream.stream();
          System.out.println(chunks.getClass().getName());
          StringBuilder text = new StringBuilder();
          chunks.forEach(chunk -> chunk.choices().forEach(
              choice -> text.append(choice.delta().content().orElse(""))));
          System.out.println(text);
        }
        return;
      }
      case "stream-consumer-fails": {
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
          stream.stream().forEach(chunk -> {
            throw new IllegalStateException("the app's consumer failed on " + chunk.id());
          });
        }
        return;
      }
      case "async-stream-handler-fails": {
        AsyncStreamResponse<ChatCompletionChunk> stream = asyncClient.chat().completions().createStreaming(question());
        stream.subscribe(chunk -> {
          throw new IllegalStateException("the app's handler failed on " + chunk.id());
        });
        try {
          stream.onCompleteFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          e.printStackTrace();
        }
        return;
      }
      case "stream-iterator": {
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
          java.util.Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
          while (chunks.hasNext()) {
            System.out.println(chunks.next().id());
          }
        }
        return;
      }
      case "async-stream": {
        AsyncStreamResponse<ChatCompletionChunk> stream = asyncClient.chat().completions().createStreaming(question());
        System.out.println(stream.getClass().getName());
        StringBuilder text = new StringBuilder();
        CompletableFuture<Optional<Throwable>> handled = new CompletableFuture<>();
        stream.subscribe(new AsyncStreamResponse.Handler<ChatCompletionChunk>() {
          @Override
          public void onNext(ChatCompletionChunk chunk) {
            chunk.choices().forEach(choice -> text.append(choice.delta().content().orElse("")));
          }

          @Override
          public void onComplete(Optional<Throwable> error) {
            handled.complete(error);
          }
        });
        try {
          stream.onCompleteFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          e.printStackTrace();
        }
        // Printed here, not on the handler's thread, so that the output has one order.
        handled.get(10, TimeUnit.SECONDS).ifPresent(Throwable::printStackTrace);
        System.out.println(text);
        return;
      }
      default:
        throw new IllegalArgumentException("unknown variant " + variant);
    }
  }
}
