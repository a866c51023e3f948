package ai.wandb.agent.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.anthropic.AnthropicTestServer.Reply;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
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
}
