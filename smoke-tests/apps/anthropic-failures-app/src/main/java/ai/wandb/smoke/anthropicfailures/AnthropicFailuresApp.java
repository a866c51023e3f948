package ai.wandb.smoke.anthropicfailures;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClientAsync;
import com.anthropic.core.Timeout;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Messages calls the way apps make them, each against its own path of {@code ANTHROPIC_BASE_URL} (where the
 * smoke test queued one way of failing): {@code <scenario>/<variant>} arguments, variant one of
 * {@code blocking}, {@code raw}, {@code async}, {@code stream}, {@code stream-iterator}, {@code async-stream},
 * and {@code stream-consumer-fails}/{@code async-stream-handler-fails}, where the app's own code inside the
 * stream fails. Every failure is printed with {@code printStackTrace()}, the way apps log them; successes
 * print what the app sees of the SDK's objects (classes, text).
 */
public final class AnthropicFailuresApp {
  private AnthropicFailuresApp() {}

  public static void main(String[] args) throws Exception {
    String base = System.getenv("ANTHROPIC_BASE_URL");
    for (String scenario : args) {
      System.out.println("== " + scenario);
      System.err.println("== " + scenario);
      String url = base + "/" + scenario;
      // A whole-call timeout well below the read timeout: OkHttp then reports a timeout one way only
      // (with both at the same deadline, which of its two timers fires first varies from run to run).
      Timeout timeout = Timeout.builder().request(Duration.ofSeconds(2)).read(Duration.ofSeconds(30)).build();
      AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(url).apiKey("sk-ant-test").maxRetries(0)
          .timeout(timeout).build();
      AnthropicClientAsync asyncClient = AnthropicOkHttpClientAsync.builder().baseUrl(url).apiKey("sk-ant-test")
          .maxRetries(0).timeout(timeout).build();
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

  private static MessageCreateParams question() {
    return MessageCreateParams.builder().model("claude-sonnet-4-5-20250929").maxTokens(1024L)
        .addUserMessage("find java yaml parsers").build();
  }

  private static String text(RawMessageStreamEvent event) {
    return event.contentBlockDelta().flatMap(delta -> delta.delta().text()).map(delta -> delta.text()).orElse("");
  }

  private static void run(String variant, AnthropicClient client, AnthropicClientAsync asyncClient) throws Exception {
    switch (variant) {
      case "blocking": {
        Message message = client.messages().create(question());
        System.out.println(message.getClass().getName() + ": " + message.content().get(0).text().get().text());
        return;
      }
      case "raw": {
        HttpResponseFor<Message> raw = client.messages().withRawResponse().create(question());
        System.out.println(raw.getClass().getName() + " " + raw.statusCode());
        System.out.println(raw.parse().id());
        return;
      }
      case "async": {
        CompletableFuture<Message> future = asyncClient.messages().create(question());
        System.out.println(future.getClass().getName());
        try {
          System.out.println(future.get(10, TimeUnit.SECONDS).id());
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
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(question())) {
          System.out.println(stream.getClass().getName());
          Stream<RawMessageStreamEvent> events = stream.stream();
          System.out.println(events.getClass().getName());
          StringBuilder text = new StringBuilder();
          events.forEach(event -> text.append(text(event)));
          System.out.println(text);
        }
        return;
      }
      case "stream-iterator": {
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(question())) {
          Iterator<RawMessageStreamEvent> events = stream.stream().iterator();
          while (events.hasNext()) {
            RawMessageStreamEvent event = events.next();
            System.out.println(event.getClass().getName() + " " + text(event));
          }
        }
        return;
      }
      case "stream-consumer-fails": {
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(question())) {
          stream.stream().forEach(event -> {
            throw new IllegalStateException("the app's consumer failed on " + event.messageStart().isPresent());
          });
        }
        return;
      }
      case "async-stream": {
        AsyncStreamResponse<RawMessageStreamEvent> stream = asyncClient.messages().createStreaming(question());
        System.out.println(stream.getClass().getName());
        StringBuilder text = new StringBuilder();
        CompletableFuture<Optional<Throwable>> handled = new CompletableFuture<>();
        stream.subscribe(new AsyncStreamResponse.Handler<RawMessageStreamEvent>() {
          @Override
          public void onNext(RawMessageStreamEvent event) {
            text.append(text(event));
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
      case "async-stream-handler-fails": {
        AsyncStreamResponse<RawMessageStreamEvent> stream = asyncClient.messages().createStreaming(question());
        stream.subscribe(event -> {
          throw new IllegalStateException("the app's handler failed on " + event.messageStart().isPresent());
        });
        try {
          stream.onCompleteFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          e.printStackTrace();
        }
        return;
      }
      default:
        throw new IllegalArgumentException("unknown variant " + variant);
    }
  }
}
