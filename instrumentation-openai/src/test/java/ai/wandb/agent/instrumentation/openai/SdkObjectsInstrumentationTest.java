package ai.wandb.agent.instrumentation.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
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

  /**
   * The stack inside the app's stream consumer, and the class of the stream it reads, are those of the
   * SDK alone: the agent logs chunks, and hides the usage-only chunk it asked for, inside the SDK's SSE
   * decoding, and adds no stage to the app's stream (a stage is one more java.util.stream frame there).
   * The SDK alone is an untraced call of the same test, through the same woven classes.
   */
  @Test
  void theAppsStreamConsumerRunsOnTheStackItHasWithoutTheAgent() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));
    // The app's own stream_options: the agent sends the params unchanged, and the app sees 9 chunks.
    ChatCompletionCreateParams withUsage = question().toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

    List<Object> plain = untraced(withUsage, () -> consumerStack(client.chat().completions().createStreaming(withUsage)));
    List<Object> traced = consumerStack(client.chat().completions().createStreaming(question()));

    assertEquals(plain.subList(0, plain.size() - 1), traced.subList(0, traced.size() - 1));
    assertEquals(9, plain.get(plain.size() - 1));
    assertEquals(8, traced.get(traced.size() - 1));
    Span span = agent.nextTrace(WAIT);
    assertEquals(58L, span.usage().totalTokens());
    assertEquals(9, span.attributes().get("wandb.stream.chunks"), "the chunks read, the usage-only one too");
  }

  @Test
  void theAppsAsyncStreamHandlerRunsOnTheStackItHasWithoutTheAgent() throws Exception {
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));
    server.enqueue("/v1/chat/completions", Reply.sse("chat-completion-stream"));
    ChatCompletionCreateParams withUsage = question().toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

    List<String> plain = untraced(withUsage,
        () -> handlerStack(asyncClient.chat().completions().createStreaming(withUsage)));
    List<String> traced = handlerStack(asyncClient.chat().completions().createStreaming(question()));

    assertEquals(plain.subList(0, plain.size() - 1), traced.subList(0, traced.size() - 1));
    assertEquals("9", plain.get(plain.size() - 1));
    assertEquals("8", traced.get(traced.size() - 1));
    Span span = agent.nextTrace(WAIT);
    assertEquals(58L, span.usage().totalTokens());
    assertEquals(9, span.attributes().get("wandb.stream.chunks"), "the chunks read, the usage-only one too");
  }

  /**
   * What {@code call} does with the agent passing it over: the module does not trace a call already traced
   * one layer up, which it knows by the span current around it holding the same params.
   */
  private <T> T untraced(ChatCompletionCreateParams params, Supplier<T> call) throws InterruptedException {
    OpenAiOperation operation = OpenAiOperation.of(
        OpenAiOperation.rawType("com.openai.services.blocking.chat.ChatCompletionServiceImpl"), "createStreaming");
    Span outer = Tracer.start("outer", SpanKind.CHAIN, new OpenAiRequest(operation, params, null, false),
        OpenAiRenderer.INSTANCE);
    T result;
    try {
      result = call.get();
    } finally {
      Tracer.end(outer, null, null);
    }
    assertTrue(agent.nextTrace(WAIT).children().isEmpty(), "the call inside was traced");
    return result;
  }

  /**
   * The stream's class, then the frames of a stack taken inside the app's consumer of the first chunk
   * down to this method's, then the number of chunks the app saw.
   */
  private static List<Object> consumerStack(StreamResponse<ChatCompletionChunk> response) {
    List<Object> seen = new ArrayList<>();
    try (response) {
      Stream<ChatCompletionChunk> chunks = response.stream();
      seen.add(chunks.getClass());
      List<StackTraceElement> frames = new ArrayList<>();
      List<ChatCompletionChunk> read = new ArrayList<>();
      chunks.forEach(chunk -> {
        if (frames.isEmpty()) {
          for (StackTraceElement frame : new Throwable().getStackTrace()) {
            frames.add(frame);
            if (frame.getMethodName().equals("consumerStack")) {
              break;
            }
          }
        }
        read.add(chunk);
      });
      seen.addAll(frames);
      seen.add(read.size());
    }
    return seen;
  }

  /** Frames of a stack taken inside the async handler's {@code onNext} (the thread's name left out). */
  private static List<String> handlerStack(AsyncStreamResponse<ChatCompletionChunk> response) {
    List<String> frames = new ArrayList<>();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try {
      response.subscribe(chunk -> {
        if (frames.isEmpty()) {
          for (StackTraceElement frame : new Throwable().getStackTrace()) {
            frames.add(frame.toString());
          }
        }
        chunks.add(chunk);
      }).onCompleteFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    frames.add(String.valueOf(chunks.size()));
    return frames;
  }
}
