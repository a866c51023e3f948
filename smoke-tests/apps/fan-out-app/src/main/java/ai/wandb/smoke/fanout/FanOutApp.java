package ai.wandb.smoke.fanout;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Asks an assistant about an order; its tool checks the order with several questions to the model at
 * once, on whatever the JVM offers: a pool, CompletableFuture's default executor, a parallel stream, and
 * virtual threads where there are some. Prints what it got, in a fixed order.
 */
public final class FanOutApp {
  private FanOutApp() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = System.getenv("OPENAI_BASE_URL");
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(System.getenv("OPENAI_API_KEY")).build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      OrderTools tools = new OrderTools(client, pool);
      Assistant assistant = AiServices.builder(Assistant.class)
          .chatModel(OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("sk-test").modelName("gpt-4o-mini").build())
          .tools(tools)
          .build();
      System.out.println("assistant: " + assistant.chat("Where is order A-17? Cancel it."));
      for (String line : tools.answers) {
        System.out.println(line);
      }
    } finally {
      pool.shutdown();
      client.close();
    }
  }
}

interface Assistant {
  String chat(String message);
}

class OrderTools {
  final List<String> answers = new ArrayList<>();
  private final OpenAIClient client;
  private final ExecutorService pool;

  OrderTools(OpenAIClient client, ExecutorService pool) {
    this.client = client;
    this.pool = pool;
  }

  @Tool("Looks up the status of an order")
  String orderStatus(String orderId) throws Exception {
    Future<String> pooled = pool.submit(() -> ask("pool " + orderId));
    CompletableFuture<String> async = CompletableFuture.supplyAsync(() -> ask("async " + orderId));
    List<String> streamed = List.of("stream a", "stream b").parallelStream().map(this::ask).collect(Collectors.toList());
    answers.add("pool: " + pooled.get());
    answers.add("async: " + async.get());
    answers.add("stream: " + streamed);
    if (Runtime.version().feature() >= 21) {
      answers.add("virtual: " + onVirtualThread(() -> ask("virtual " + orderId)));
    }
    return "shipped";
  }

  @Tool("Cancels an order")
  String cancelOrder(String orderId) {
    return "cannot cancel " + orderId + ": it has shipped";
  }

  private String ask(String question) {
    return client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addUserMessage(question).build())
        .choices().get(0).message().content().orElse("");
  }

  /** Executors.newVirtualThreadPerTaskExecutor(), called reflectively so that the app also runs on 17. */
  private static String onVirtualThread(java.util.concurrent.Callable<String> task) throws Exception {
    ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    try {
      return virtual.submit(task).get();
    } finally {
      virtual.shutdown();
    }
  }
}
