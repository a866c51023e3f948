package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the app holds of a traced call is the SDK's own: the classes of the raw response, the stream
 * response and the futures, and every frame of a failure above the app's call.
 */
class SdkObjectsInstrumentationTest extends OpenAiScenario {
  private static void assertSdkOwn(Object value) {
    assertFalse(Proxy.isProxyClass(value.getClass()), value.getClass().getName());
    assertTrue(value.getClass().getName().startsWith("com.openai."), value.getClass().getName());
    assertSame(ChatCompletion.class.getClassLoader(), value.getClass().getClassLoader());
  }

  /** Frames above this test's own call: none of the agent's, no proxy, no reflection. */
  private static void assertNoForeignFrame(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      List<String> above = new ArrayList<>();
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().equals(SdkObjectsInstrumentationTest.class.getName())) {
          break;
        }
        above.add(frame.getClassName());
      }
      for (String frame : above) {
        assertFalse(frame.startsWith("ai.wandb.agent.") || frame.startsWith("jdk.proxy")
            || frame.contains(".reflect.") || frame.startsWith("com.sun.proxy"), frame + " in " + above);
      }
    }
  }

  @Test
  void theRawResponseAndTheStreamResponseAreTheSdksObjects() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));

    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(question());
    assertSdkOwn(raw);
    raw.parse();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
      assertSdkOwn(stream);
      assertEquals(8, stream.stream().count());
    }

    assertEquals(SpanStatus.OK, agent.nextTrace(WAIT).status());
    assertEquals(SpanStatus.OK, agent.nextTrace(WAIT).status());
  }

  @Test
  void asyncCallsReturnPlainCompletableFuturesLikeTheSdk() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion"));
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));

    CompletableFuture<HttpResponseFor<ChatCompletion>> raw = asyncClient.chat().completions().withRawResponse()
        .create(question());
    assertSame(CompletableFuture.class, raw.getClass());
    assertSdkOwn(raw.get(10, TimeUnit.SECONDS));
    raw.get().parse();
    AsyncStreamResponse<ChatCompletionChunk> stream = asyncClient.chat().completions().createStreaming(question());
    assertSdkOwn(stream);
    stream.subscribe(chunk -> {}).onCompleteFuture().get(10, TimeUnit.SECONDS);

    agent.nextTrace(WAIT);
    agent.nextTrace(WAIT);
  }

  @Test
  void aResponseCutMidBodyFailsWithTheSdksFramesOnlyBlockingAndAsync() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion").droppedMidBody());
    server.enqueue("/v1/chat/completions", Reply.recorded("chat-completion").droppedMidBody().delayedBy(200));
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream").cutAfter(3));

    assertNoForeignFrame(assertThrows(RuntimeException.class,
        () -> client.chat().completions().withRawResponse().create(question()).parse()));
    assertEquals(SpanStatus.ERROR, agent.nextTrace(WAIT).status());
    CompletionException async = assertThrows(CompletionException.class,
        () -> asyncClient.chat().completions().create(question()).thenApply(ChatCompletion::id).join());
    assertNoForeignFrame(async);
    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, span.status());
    assertEquals(async.getCause().getClass().getName(), span.errorJson().get("type"));
    assertNoForeignFrame(assertThrows(RuntimeException.class, () -> {
      try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(question())) {
        stream.stream().forEach(chunk -> {});
      }
    }));
    assertEquals(SpanStatus.ERROR, agent.nextTrace(WAIT).status());
  }
}
