package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncInstrumentationTest extends OpenAiScenario {
  @Test
  void anAsyncCompletionEndsItsSpanOnCompletionAndCallbacksRunUnderTheCallersSpan() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion").delayedBy(200));
    Span outer = Tracer.start("app.handle", SpanKind.CHAIN, null, null);
    Span[] currentInCallback = new Span[1];

    asyncClient.chat().completions().create(question())
        .thenAccept(completion -> currentInCallback[0] = Tracer.current())
        .get(10, TimeUnit.SECONDS);
    Tracer.end(outer, null, null);

    Span root = agent.nextTrace(WAIT);
    assertSame(outer, root);
    assertSame(outer, currentInCallback[0]);
    Span span = root.children().get(0);
    assertEquals("openai.chat.completions.create", span.name());
    assertEquals("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", span.attributes().get("gen_ai.response.id"));
    assertEquals(69L, span.usage().totalTokens());
  }

  @Test
  void anAsyncFailureIsAnErrorSpanWithTheSdkException() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.json(500, OpenAiTestServer.recorded("error-500")));

    CompletionException thrown = assertThrows(CompletionException.class,
        () -> asyncClient.chat().completions().create(question()).join());

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertEquals(thrown.getCause().getClass().getName(), span.errorJson().get("type"));
    assertEquals(500, span.attributes().get("http.response.status_code"));
  }

  @Test
  void anAsyncStreamRunsItsHandlerUnderTheCallersSpanAndEndsWhenComplete() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));
    Span outer = Tracer.start("app.handle", SpanKind.CHAIN, null, null);
    List<Span> currentInHandler = new CopyOnWriteArrayList<>();
    StringBuilder text = new StringBuilder();

    AsyncStreamResponse<ChatCompletionChunk> stream = asyncClient.chat().completions().createStreaming(question());
    stream.subscribe(new AsyncStreamResponse.Handler<ChatCompletionChunk>() {
      @Override
      public void onNext(ChatCompletionChunk chunk) {
        currentInHandler.add(Tracer.current());
        chunk.choices().forEach(choice -> text.append(choice.delta().content().orElse("")));
      }

      @Override
      public void onComplete(Optional<Throwable> error) {}
    });
    stream.onCompleteFuture().get(10, TimeUnit.SECONDS);
    Tracer.end(outer, null, null);

    Span root = agent.nextTrace(WAIT);
    assertEquals("https://github.com/search?q=java+yaml+parser", text.toString());
    assertEquals(8, currentInHandler.size());
    assertTrue(currentInHandler.stream().allMatch(span -> span == outer));
    Span span = root.children().get(0);
    assertEquals(SpanStatus.OK, span.status());
    assertEquals(text.toString(), firstMessage(span).get("content"));
    assertEquals(58L, span.usage().totalTokens());
  }
}
