package ai.wandb.agent.instrumentation.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.gemini.GeminiTestServer.Reply;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.GenerateContentResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the app holds of a traced call is the SDK's own: the stream, the futures, and every frame of a
 * failure above the app's call.
 */
class SdkObjectsInstrumentationTest extends GeminiScenario {
  /** Frames above this test's own call: none of the agent's. */
  private static void assertNoAgentFrame(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      List<String> above = new ArrayList<>();
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().startsWith(SdkObjectsInstrumentationTest.class.getName())) {
          break;
        }
        above.add(frame.getClassName());
      }
      for (String frame : above) {
        assertFalse(frame.startsWith("ai.wandb.agent."), frame + " in " + above);
      }
    }
  }

  @Test
  void theStreamIsTheSdksOwnObject() throws Exception {
    server.enqueue("streamGenerateContent", Reply.sse("stream-generate-content"));

    try (ResponseStream<GenerateContentResponse> stream =
        client.models.generateContentStream(MODEL, "find java yaml parsers", null)) {
      assertEquals(ResponseStream.class, stream.getClass());
      assertEquals(ResponseStream.class, stream.iterator().getClass().getEnclosingClass());
      stream.forEach(chunk -> { });
    }
    assertEquals(SpanStatus.OK, agent.nextTrace(WAIT).status());
  }

  @Test
  void failuresReachTheAppWithoutAgentFrames() throws Exception {
    server.enqueue("generateContent", Reply.error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted."));
    server.enqueue("generateContent", Reply.error(401, "UNAUTHENTICATED", "Request had invalid credentials."));
    server.enqueue("streamGenerateContent", Reply.sse("stream-generate-content").cutAfter(1));
    server.enqueue("generateContent", Reply.error(500, "INTERNAL", "An internal error has occurred."));

    assertNoAgentFrame(assertThrows(ApiException.class,
        () -> client.models.generateContent(MODEL, "find java yaml parsers", null)));
    assertNoAgentFrame(assertThrows(ApiException.class,
        () -> client.chats.create(MODEL).sendMessage("find java yaml parsers")));
    ResponseStream<GenerateContentResponse> stream =
        client.models.generateContentStream(MODEL, "find java yaml parsers", null);
    Iterator<GenerateContentResponse> chunks = stream.iterator();
    assertNoAgentFrame(assertThrows(RuntimeException.class, () -> {
      while (chunks.hasNext()) {
        chunks.next();
      }
    }));
    stream.close();
    CompletableFuture<GenerateContentResponse> future =
        client.async.models.generateContent(MODEL, "find java yaml parsers", null);
    assertEquals(CompletableFuture.class, future.getClass());
    assertNoAgentFrame(assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS)));

    for (int i = 0; i < 4; i++) {
      assertEquals(SpanStatus.ERROR, agent.nextTrace(WAIT).status());
    }
  }
}
