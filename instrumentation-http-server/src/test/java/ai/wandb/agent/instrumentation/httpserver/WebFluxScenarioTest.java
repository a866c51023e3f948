package ai.wandb.agent.instrumentation.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real Spring WebFlux app on Reactor Netty (random port), its endpoints calling the OpenAI stand-in
 * through Spring AI: blocking on Reactor's boundedElastic scheduler, streamed, and not at all.
 */
class WebFluxScenarioTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CHAT = "/v1/chat/completions";
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
  private static AgentHarness agent;
  private static OpenAiTestServer models;
  private static AnnotationConfigApplicationContext context;
  private static DisposableServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RestController
  static class AskController {
    private final ChatClient chat;

    AskController(ChatClient chat) {
      this.chat = chat;
    }

    /** A draft asked for on boundedElastic (the model client blocks), then polished as a stream. */
    @PostMapping("/ask")
    Mono<String> ask(@RequestBody String question) {
      return Mono.fromCallable(() -> chat.prompt(question).call().content())
          .subscribeOn(Schedulers.boundedElastic())
          .flatMap(draft -> chat.prompt("Polish: " + draft).stream().content().collectList())
          .map(parts -> String.join("", parts));
    }

    /** The model's stream is the response. */
    @PostMapping("/ask/stream")
    Flux<String> stream(@RequestBody String question) {
      return chat.prompt(question).stream().content();
    }

    @PostMapping("/fail")
    Mono<String> fail(@RequestBody String question) {
      return Mono.fromCallable(() -> chat.prompt(question).call().content())
          .subscribeOn(Schedulers.boundedElastic())
          .map(answer -> {
            throw new IllegalStateException("no use for " + answer);
          });
    }

    /** A draft, then a response that streams until the client goes away. */
    @GetMapping(path = "/ask/forever", produces = "text/event-stream")
    Flux<String> forever() {
      return Mono.fromCallable(() -> chat.prompt("which yaml parser?").call().content())
          .subscribeOn(Schedulers.boundedElastic())
          .flatMapMany(draft -> Flux.interval(Duration.ofMillis(50)).map(tick -> draft));
    }

    @GetMapping("/health")
    String health() {
      return "ok";
    }
  }

  @Configuration
  @EnableWebFlux
  static class App {
    @Bean
    AskController askController() {
      return new AskController(Modules.chatClient(models.baseUrl()));
    }
  }

  @BeforeAll
  static void start() {
    agent = AgentHarness.install(Modules.all());
    models = OpenAiTestServer.start();
    context = new AnnotationConfigApplicationContext(App.class);
    server = HttpServer.create().host("127.0.0.1").port(0)
        .handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(context).build()))
        .bindNow();
  }

  @AfterAll
  static void stop() {
    server.disposeNow();
    context.close();
    models.close();
  }

  @BeforeEach
  void clear() {
    agent.finishedTraces().clear();
  }

  private static HttpResponse<String> post(String path, String body, String traceparent) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body));
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRequestThatCallsTheModelOnASchedulerAndAsAStreamIsOneTraceRootedInTheRequest() throws Exception {
    models.enqueue(CHAT, Reply.recorded("chat-completion"));
    models.enqueue(CHAT, Reply.sse("chat-completion-stream"));

    HttpResponse<String> answer = post("/ask", "which yaml parser?", null);

    assertEquals(200, answer.statusCode(), answer.body());
    assertTrue(answer.body().startsWith("https://github.com/search"), answer.body());
    Span root = agent.nextTrace(WAIT);
    assertEquals("POST /ask", root.name());
    assertEquals(SpanKind.CHAIN, root.kind());
    assertNull(root.parentId());
    assertEquals("POST", root.attributes().get("http.request.method"));
    assertEquals("/ask", root.attributes().get("http.route"));
    assertEquals(200, root.attributes().get("http.response.status_code"));
    assertEquals(SpanStatus.OK, root.status());
    assertEquals(List.of("spring_ai.chat_client", "spring_ai.chat_client"), names(root.children()));
    for (Span client : root.children()) {
      assertEquals("spring_ai.chat", client.children().get(0).name());
    }
    Span blocking = root.children().get(0);
    assertTrue(root.endEpochNanos() >= blocking.endEpochNanos(), "the request ends after the work inside it");
    assertTrue(blocking.endEpochNanos() <= root.children().get(1).startEpochNanos(), "draft, then polish");
    assertTrue(agent.finishedTraces().isEmpty(), "no other trace: " + agent.finishedTraces());
  }

  @Test
  void aStreamedResponseEndsTheRequestWhenTheStreamIsWritten() throws Exception {
    models.enqueue(CHAT, Reply.sse("chat-completion-stream"));

    HttpResponse<String> answer = post("/ask/stream", "which yaml parser?", null);

    assertEquals(200, answer.statusCode(), answer.body());
    Span root = agent.nextTrace(WAIT);
    assertEquals("POST /ask/stream", root.name());
    assertEquals("/ask/stream", root.attributes().get("http.route"));
    assertEquals(List.of("spring_ai.chat_client"), names(root.children()));
    assertEquals(200, root.attributes().get("http.response.status_code"));
  }

  @Test
  void aRequestWithoutAModelCallLeavesNoTrace() throws Exception {
    HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals("ok", health.body());
    Thread.sleep(200);
    assertTrue(agent.finishedTraces().isEmpty(), agent.finishedTraces().toString());
  }

  @Test
  void anInboundTraceparentGivesTheTraceItsIdAndParent() throws Exception {
    models.enqueue(CHAT, Reply.recorded("chat-completion"));
    models.enqueue(CHAT, Reply.sse("chat-completion-stream"));

    assertEquals(200, post("/ask", "and at sunset?", TRACEPARENT).statusCode());

    Span root = agent.nextTrace(WAIT);
    assertEquals(TRACE_ID, root.traceId());
    assertEquals("00f067aa0ba902b7", root.remoteParentId());
    assertNull(root.parentId());
  }

  @Test
  void aFailingRequestIsAnErrorWithTheAppsExceptionAndTheStatusTheClientGot() throws Exception {
    models.enqueue(CHAT, Reply.recorded("chat-completion"));

    HttpResponse<String> failed = post("/fail", "which yaml parser?", null);

    assertEquals(500, failed.statusCode());
    Span root = agent.nextTrace(WAIT);
    assertEquals("POST /fail", root.name());
    assertEquals(SpanStatus.ERROR, root.status());
    assertEquals(IllegalStateException.class, root.error().getClass());
    assertEquals(500, root.attributes().get("http.response.status_code"));
    assertEquals("spring_ai.chat_client", root.children().get(0).name());
    for (StackTraceElement frame : root.error().getStackTrace()) {
      boolean agentFrame = frame.getClassName().startsWith("ai.wandb.agent.")
          && !frame.getClassName().startsWith(WebFluxScenarioTest.class.getName());
      assertTrue(!agentFrame, "no agent frame in the app's exception: " + frame);
    }
  }

  @Test
  void aClientThatGoesAwayEndsTheRequest() throws Exception {
    models.enqueue(CHAT, Reply.recorded("chat-completion"));

    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write(("GET /ask/forever HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      java.io.InputStream in = socket.getInputStream();
      String seen = "";
      while (!seen.contains("data:")) {
        byte[] chunk = new byte[256];
        int n = in.read(chunk);
        assertTrue(n > 0, "the stream answered: " + seen);
        seen += new String(chunk, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
      }
    }

    Span root = agent.nextTrace(WAIT);
    assertEquals("GET /ask/forever", root.name());
    assertTrue(root.isEnded());
    assertEquals("spring_ai.chat_client", root.children().get(0).name());
  }

  private static List<String> names(List<Span> spans) {
    return spans.stream().map(Span::name).toList();
  }
}
