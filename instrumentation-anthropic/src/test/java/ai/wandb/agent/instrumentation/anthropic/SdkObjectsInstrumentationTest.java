package ai.wandb.agent.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the app holds of a traced call is the SDK's own: the classes of the raw and stream responses,
 * and every frame of a failure above the app's call.
 */
class SdkObjectsInstrumentationTest extends AnthropicScenario {
  private static void assertSdkOwn(Object value) {
    assertFalse(Proxy.isProxyClass(value.getClass()), value.getClass().getName());
    assertTrue(value.getClass().getName().startsWith("com.anthropic."), value.getClass().getName());
    assertSame(Message.class.getClassLoader(), value.getClass().getClassLoader());
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
    server.enqueue("/v1/messages", Reply.recorded("message"));
    server.enqueue("/v1/messages", Reply.sse("message-stream"));

    HttpResponseFor<Message> raw = client.messages().withRawResponse().create(question());
    assertSdkOwn(raw);
    assertSdkOwn(raw.parse());
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(question())) {
      assertSdkOwn(stream);
      assertEquals(8, stream.stream().count());
    }

    assertEquals(SpanStatus.OK, agent.nextTrace(WAIT).status());
    assertEquals(SpanStatus.OK, agent.nextTrace(WAIT).status());
  }

  @Test
  void failuresCarryTheSdksFramesOnlyBlockingAsyncAndStreaming() throws Exception {
    server.enqueue("/v1/messages", Reply.error(401, "authentication_error", "invalid x-api-key"));
    server.enqueue("/v1/messages", Reply.error(500, "api_error", "Internal server error"));
    server.enqueue("/v1/messages", Reply.sse("message-stream").cutAfter(3));
    server.enqueue("/v1/messages", Reply.sse("message-stream-overloaded"));

    assertNoForeignFrame(assertThrows(RuntimeException.class, () -> client.messages().create(question())));
    assertEquals(SpanStatus.ERROR, agent.nextTrace(WAIT).status());
    CompletionException async = assertThrows(CompletionException.class,
        () -> asyncClient.messages().create(question()).thenApply(Message::id).join());
    assertNoForeignFrame(async);
    assertEquals(SpanStatus.ERROR, agent.nextTrace(WAIT).status());
    for (int i = 0; i < 2; i++) {
      assertNoForeignFrame(assertThrows(RuntimeException.class, () -> {
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(question())) {
          stream.stream().forEach(event -> {});
        }
      }));
      assertEquals(SpanStatus.ERROR, agent.nextTrace(WAIT).status());
    }
  }

  /**
   * An async call made under the app's own span (a traced step, a web request): the SDK's parsing and
   * the app's callbacks run with that span current, and still with no agent frame under them.
   */
  @Test
  void anAsyncFailureUnderTheAppsSpanCarriesTheSdksFramesOnly() throws Exception {
    server.enqueue("/v1/messages", Reply.error(500, "api_error", "Internal server error"));
    Span step = Tracer.start("step", SpanKind.CHAIN, "question", null);
    List<StackTraceElement[]> callbackStacks = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletionException async;
    try {
      async = assertThrows(CompletionException.class, () -> asyncClient.messages().create(question())
          .whenComplete((message, error) -> callbackStacks.add(new Throwable().getStackTrace())).join());
    } finally {
      Tracer.end(step, null, null);
    }
    assertNoForeignFrame(async);
    for (StackTraceElement[] frames : callbackStacks) {
      Throwable seen = new Throwable();
      seen.setStackTrace(frames);
      assertNoForeignFrame(seen);
    }
    Span root = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, root.children().get(0).status());
  }

  /**
   * The stack inside the app's stream consumer and async handler, and the class of the stream it reads,
   * are those of the SDK alone (an untraced call of the same test through the same woven classes): the
   * agent logs events inside the SDK's stream iterator and adds no stage to the app's stream.
   */
  @Test
  void theAppsStreamConsumersRunOnTheStacksTheyHaveWithoutTheAgent() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue("/v1/messages", Reply.sse("message-stream"));
    }
    MessageCreateParams params = question();

    List<Object> plain = untraced(params, () -> consumerStack(client.messages().createStreaming(params)));
    List<Object> traced = consumerStack(client.messages().createStreaming(params));
    assertEquals(plain, traced);
    assertEquals(8, agent.nextTrace(WAIT).attributes().get("wandb.stream.chunks"));

    List<String> plainAsync = untraced(params, () -> handlerStack(asyncClient.messages().createStreaming(params)));
    List<String> tracedAsync = handlerStack(asyncClient.messages().createStreaming(params));
    assertEquals(plainAsync, tracedAsync);
    assertEquals(8, agent.nextTrace(WAIT).attributes().get("wandb.stream.chunks"));
  }

  /** What {@code call} does untraced: the module skips a call already traced one layer up (same params). */
  private <T> T untraced(MessageCreateParams params, Supplier<T> call) throws InterruptedException {
    AnthropicOperation operation = AnthropicOperation.of(
        AnthropicOperation.rawType("com.anthropic.services.blocking.MessageServiceImpl"), "createStreaming");
    Span outer = Tracer.start("outer", SpanKind.CHAIN, new AnthropicRequest(operation, params, null),
        AnthropicRenderer.INSTANCE);
    T result;
    try {
      result = call.get();
    } finally {
      Tracer.end(outer, null, null);
    }
    assertTrue(agent.nextTrace(WAIT).children().isEmpty(), "the call inside was traced");
    return result;
  }

  /** The stream's class, the frames inside the app's consumer down to this method's, the events seen. */
  private static List<Object> consumerStack(StreamResponse<RawMessageStreamEvent> response) {
    List<Object> seen = new ArrayList<>();
    try (response) {
      Stream<RawMessageStreamEvent> events = response.stream();
      seen.add(events.getClass());
      List<StackTraceElement> frames = new ArrayList<>();
      List<RawMessageStreamEvent> read = new ArrayList<>();
      events.forEach(event -> {
        if (frames.isEmpty()) {
          for (StackTraceElement frame : new Throwable().getStackTrace()) {
            frames.add(frame);
            if (frame.getMethodName().equals("consumerStack")) {
              break;
            }
          }
        }
        read.add(event);
      });
      seen.addAll(frames);
      seen.add(read.size());
    }
    return seen;
  }

  /** The frames of a stack taken inside the async handler's {@code onNext}, then the events seen. */
  private static List<String> handlerStack(AsyncStreamResponse<RawMessageStreamEvent> response) {
    List<String> frames = new ArrayList<>();
    List<RawMessageStreamEvent> events = new ArrayList<>();
    try {
      response.subscribe(event -> {
        if (frames.isEmpty()) {
          for (StackTraceElement frame : new Throwable().getStackTrace()) {
            frames.add(frame.toString());
          }
        }
        events.add(event);
      }).onCompleteFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    frames.add(String.valueOf(events.size()));
    return frames;
  }
}
