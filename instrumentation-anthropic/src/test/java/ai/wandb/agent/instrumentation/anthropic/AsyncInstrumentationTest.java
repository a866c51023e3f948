package ai.wandb.agent.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.testing.anthropic.AnthropicTestServer.Reply;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncInstrumentationTest extends AnthropicScenario {
  @Test
  void anAsyncMessageEndsItsSpanOnCompletionAndCallbacksRunUnderTheCallersSpan() throws Exception {
    server.enqueue("/v1/messages", Reply.recorded("message"));
    Span outer = Tracer.start("app.handle", SpanKind.CHAIN, null, null);
    Span[] currentInCallback = new Span[1];
    String[] callbackThread = new String[1];

    CompletableFuture<Message> future = asyncClient.messages().create(question());
    assertSame(CompletableFuture.class, future.getClass());
    future.thenAccept(message -> {
      currentInCallback[0] = Tracer.current();
      callbackThread[0] = Thread.currentThread().getName();
    }).get(10, TimeUnit.SECONDS);
    Tracer.end(outer, null, null);

    Span root = agent.nextTrace(WAIT);
    assertSame(outer, root);
    // On the HTTP client's thread (2.x) or the SDK's completion executor (3.x) alike.
    assertSame(outer, currentInCallback[0], callbackThread[0]);
    Span span = root.children().get(0);
    assertEquals("anthropic.messages.create", span.name());
    assertEquals("msg_01XFDUDYJgAACzvnptvVoYEL", span.attributes().get("gen_ai.response.id"));
    assertEquals(1024L, span.usage().cachedInputTokens());
  }

  @Test
  void anAsyncRawResponseEndsWhenParsed() throws Exception {
    server.enqueue("/v1/messages", Reply.recorded("message"));

    HttpResponseFor<Message> raw = asyncClient.messages().withRawResponse().create(question())
        .get(10, TimeUnit.SECONDS);
    raw.parse();

    assertEquals(SpanStatus.OK, agent.nextTrace(WAIT).status());
  }

  @Test
  void anAsyncFailureIsAnErrorSpanWithTheSdkException() throws Exception {
    server.enqueue("/v1/messages", Reply.error(529, "overloaded_error", "Overloaded"));

    CompletionException thrown = assertThrows(CompletionException.class,
        () -> asyncClient.messages().create(question()).join());

    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertSame(thrown.getCause(), span.error());
    assertEquals(529, span.attributes().get("http.response.status_code"));
  }

  @Test
  void anAsyncStreamRunsItsHandlerUnderTheCallersSpanAndEndsWhenComplete() throws Exception {
    server.enqueue("/v1/messages", Reply.sse("message-stream"));
    Span outer = Tracer.start("app.handle", SpanKind.CHAIN, null, null);
    List<Span> currentInHandler = new CopyOnWriteArrayList<>();
    StringBuilder text = new StringBuilder();

    AsyncStreamResponse<RawMessageStreamEvent> stream = asyncClient.messages().createStreaming(question());
    stream.subscribe(new AsyncStreamResponse.Handler<RawMessageStreamEvent>() {
      @Override
      public void onNext(RawMessageStreamEvent event) {
        currentInHandler.add(Tracer.current());
        event.contentBlockDelta().flatMap(delta -> delta.delta().text()).ifPresent(delta -> text.append(delta.text()));
      }

      @Override
      public void onComplete(Optional<Throwable> error) {}
    });
    stream.onCompleteFuture().get(10, TimeUnit.SECONDS);
    Tracer.end(outer, null, null);

    Span root = agent.nextTrace(WAIT);
    assertEquals("https://github.com/search?q=java+yaml+parser&type=repositories", text.toString());
    assertEquals(8, currentInHandler.size());
    assertTrue(currentInHandler.stream().allMatch(span -> span == outer), currentInHandler.toString());
    Span span = root.children().get(0);
    assertEquals(SpanStatus.OK, span.status());
    assertEquals(text.toString(), block(span, 0).get("text"));
    assertEquals(15L, span.usage().outputTokens());
  }
}
