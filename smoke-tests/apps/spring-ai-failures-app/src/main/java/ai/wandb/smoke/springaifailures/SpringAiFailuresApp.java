package ai.wandb.smoke.springaifailures;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;

/**
 * Spring AI calls the way apps make them, each against its own path of {@code OPENAI_BASE_URL} where the
 * smoke test queued one way of failing: {@code <fault>/<variant>} arguments, variant one of
 * {@code model-call}, {@code model-stream}, {@code model-stream-block}, {@code client-call},
 * {@code client-stream} (both through an advisor of the app's), {@code client-call-tool},
 * {@code client-stream-tool} (a tool call, then the fault), and {@code model-stream-subscriber-fails},
 * {@code client-stream-subscriber-fails}, where the app's own subscriber throws in {@code onNext}. Every
 * failure is printed with {@code printStackTrace()}, the way apps log them; successes print what the app
 * sees (the classes and {@code toString()} of the objects it gets, a stack trace taken inside its
 * subscriber's first {@code onNext}, the text). Output is printed from the main thread only, so it has one
 * order.
 */
public final class SpringAiFailuresApp {
  private static final String QUESTION = "find java yaml parsers";

  private SpringAiFailuresApp() {}

  public static void main(String[] args) throws Exception {
    String base = System.getenv("OPENAI_BASE_URL");
    for (String scenario : args) {
      System.out.println("== " + scenario);
      System.err.println("== " + scenario);
      ChatModel model = Models.chat(base + "/" + scenario, scenario);
      try {
        run(scenario.substring(scenario.indexOf('/') + 1), model);
      } catch (Exception e) {
        e.printStackTrace();
      }
    }
    System.out.flush();
    System.err.flush();
    // The HTTP clients' idle pools keep threads of their own alive: the app is done.
    System.exit(0);
  }

  private static ChatClient client(ChatModel model) {
    return ChatClient.builder(model).defaultAdvisors(new AuditAdvisor()).build();
  }

  private static void run(String variant, ChatModel model) throws Exception {
    switch (variant) {
      case "model-call": {
        ChatResponse response = model.call(new Prompt(QUESTION));
        System.out.println(response.getClass().getName() + ": " + text(response));
        return;
      }
      case "model-stream":
        read(model.stream(new Prompt(QUESTION)), false);
        return;
      case "model-stream-block": {
        Flux<ChatResponse> flux = model.stream(new Prompt(QUESTION));
        ChatResponse last = flux.blockLast();
        System.out.println(last == null ? "no response" : last.getClass().getName());
        return;
      }
      case "model-stream-subscriber-fails":
        read(model.stream(new Prompt(QUESTION)), true);
        return;
      case "client-call": {
        String content = client(model).prompt().user(QUESTION).call().content();
        System.out.println(content);
        return;
      }
      case "client-stream":
        read(client(model).prompt().user(QUESTION).stream().content(), false);
        return;
      case "client-stream-subscriber-fails":
        read(client(model).prompt().user(QUESTION).stream().content(), true);
        return;
      case "client-call-tool": {
        String content = client(model).prompt().user(QUESTION).tools(new RepositoryTools()).call().content();
        System.out.println(content);
        return;
      }
      case "client-stream-tool":
        read(client(model).prompt().user(QUESTION).tools(new RepositoryTools()).stream().content(), false);
        return;
      default:
        throw new IllegalArgumentException("unknown variant " + variant);
    }
  }

  /**
   * Subscribes the way reactive apps do (onNext, onError, onComplete); {@code failing}: the app's
   * {@code onNext} throws on the first item.
   */
  private static void read(Flux<?> flux, boolean failing) throws Exception {
    System.out.println(flux.getClass().getName() + " " + flux);
    StringBuilder text = new StringBuilder();
    Throwable[] insideOnNext = new Throwable[1];
    CompletableFuture<Throwable> done = new CompletableFuture<>();
    flux.subscribe(item -> {
      if (insideOnNext[0] == null) {
        insideOnNext[0] = new Throwable("inside onNext of " + item.getClass().getName());
        if (failing) {
          throw new IllegalStateException("the app's subscriber failed on its first item");
        }
      }
      text.append(text(item));
    }, done::complete, () -> done.complete(null));
    Throwable error = done.get(30, TimeUnit.SECONDS);
    if (insideOnNext[0] != null) {
      insideOnNext[0].printStackTrace();
    }
    if (error != null) {
      error.printStackTrace();
    } else {
      System.out.println(text);
    }
  }

  /** A stream item's text: a String, or a chunk's text (a usage-only last chunk has none). */
  private static String text(Object item) {
    if (!(item instanceof ChatResponse)) {
      return String.valueOf(item);
    }
    ChatResponse response = (ChatResponse) item;
    return response.getResult() == null || response.getResult().getOutput().getText() == null ? ""
        : response.getResult().getOutput().getText();
  }
}
