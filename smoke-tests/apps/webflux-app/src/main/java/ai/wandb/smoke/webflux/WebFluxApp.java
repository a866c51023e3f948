package ai.wandb.smoke.webflux;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A small reactive web app: POST /ask drafts an answer, then polishes it (two blocking model calls, each on
 * Reactor's boundedElastic scheduler, the second after the first on its thread); GET /health answers "ok".
 */
public final class WebFluxApp {
  private WebFluxApp() {}

  public static void main(String[] args) throws Exception {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(System.getenv("OPENAI_BASE_URL"))
        .apiKey(System.getenv("OPENAI_API_KEY"))
        .maxRetries(0)
        .build();
    RouterFunction<ServerResponse> routes = RouterFunctions.route()
        .POST("/ask", request -> request.bodyToMono(String.class)
            .flatMap(question -> onScheduler(() -> complete(client, "Draft an answer to: " + question)))
            .flatMap(draft -> onScheduler(() -> complete(client, "Polish: " + draft)))
            .flatMap(answer -> ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).bodyValue(answer)))
        .GET("/health", request -> ServerResponse.ok().bodyValue("ok"))
        .build();
    DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
        .handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(routes)))
        .bindNow();
    System.out.println("listening " + server.port());
    while (System.in.read() >= 0) {
      // Runs until the test closes stdin.
    }
    server.disposeNow();
    client.close();
  }

  private static Mono<String> onScheduler(java.util.concurrent.Callable<String> call) {
    return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
  }

  private static String complete(OpenAIClient client, String prompt) {
    return client.chat().completions().create(ChatCompletionCreateParams.builder()
            .model("gpt-4o-mini").addUserMessage(prompt).build())
        .choices().get(0).message().content().orElse("");
  }
}
