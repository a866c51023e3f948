package ai.wandb.smoke.otel;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code serve}: a web service on loopback whose {@code POST /ask} handler asks the model, called once by
 * this same process over HTTP. {@code own-span}: the model call inside a span the app makes itself with
 * the OpenTelemetry SDK; the span's ids go to stderr ({@code [otel-app] span <trace id> <span id>}) so
 * that stdout stays the same from run to run. The model is at {@code OPENAI_BASE_URL}.
 */
public final class OtelApp {
  private OtelApp() {}

  public static void main(String[] args) throws Exception {
    OpenAIClient client = OpenAIOkHttpClient.fromEnv();
    try {
      if (args.length > 0 && args[0].equals("own-span")) {
        ownSpan(client);
      } else {
        serve(client);
      }
    } finally {
      client.close();
    }
  }

  @SuppressWarnings("try") // the scope is what the block is for: the span is current inside it
  private static void ownSpan(OpenAIClient client) {
    SdkTracerProvider provider = SdkTracerProvider.builder().build();
    Tracer tracer = provider.get("otel-app");
    Span span = tracer.spanBuilder("handle question").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      System.err.println("[otel-app] span " + span.getSpanContext().getTraceId() + " "
          + span.getSpanContext().getSpanId());
      System.out.println("answer: " + ask(client, "What is OpenTelemetry?"));
    } finally {
      span.end();
      provider.close();
    }
  }

  private static void serve(OpenAIClient client) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService workers = Executors.newFixedThreadPool(2);
    server.setExecutor(workers);
    server.createContext("/ask", exchange -> {
      String question;
      try (InputStream in = exchange.getRequestBody()) {
        question = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      byte[] answer = ask(client, question).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    server.start();
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(
          "http://127.0.0.1:" + server.getAddress().getPort() + "/ask").toURL().openConnection();
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      try (OutputStream out = connection.getOutputStream()) {
        out.write("What is OpenTelemetry?".getBytes(StandardCharsets.UTF_8));
      }
      try (InputStream in = connection.getInputStream()) {
        System.out.println("answer: " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } finally {
      server.stop(0);
      workers.shutdown();
    }
  }

  private static String ask(OpenAIClient client, String question) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini")
        .addSystemMessage("Answer in one sentence.")
        .addUserMessage(question)
        .build();
    return client.chat().completions().create(params).choices().get(0).message().content().orElse("");
  }
}
