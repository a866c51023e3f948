package ai.wandb.agent.instrumentation.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.wandb.agent.api.CountedUsage;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.gemini.GeminiTestServer.Reply;
import com.google.genai.AsyncChat;
import com.google.genai.Chat;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChatInstrumentationTest extends GeminiScenario {
  @Test
  void eachMessageIsAChatSpanWithTheHistoryAsInputsAndTheModelCallNestedInside() throws Exception {
    server.enqueue("generateContent", Reply.recorded("generate-content"));
    server.enqueue("generateContent", Reply.recorded("generate-content"));
    Chat chat = client.chats.create(MODEL, config());

    chat.sendMessage("find java yaml parsers");
    chat.sendMessage("and python ones?");

    Span first = agent.nextTrace(WAIT);
    assertEquals("google_genai.chats.send_message", first.name());
    assertEquals(SpanKind.LLM, first.kind());
    assertEquals(1, list(map(first.inputs()).get("contents")).size());
    Span second = agent.nextTrace(WAIT);
    List<Object> history = list(map(second.inputs()).get("contents"));
    assertEquals(List.of("user", "model", "user"), history.stream().map(c -> map(c).get("role")).toList());
    assertEquals("and python ones?",
        map(list(map(history.get(2)).get("parts")).get(0)).get("text"));
    assertEquals("You write GitHub search URLs.",
        map(list(map(map(second.inputs()).get("systemInstruction")).get("parts")).get(0)).get("text"));
    assertEquals(MODEL, second.attributes().get("gen_ai.request.model"));

    assertEquals(1, second.children().size());
    Span call = second.children().get(0);
    assertEquals("google_genai.models.generate_content", call.name());
    assertEquals(3, list(map(call.inputs()).get("contents")).size());
    assertEquals(64L, second.usage().totalTokens());
    assertEquals(64L, CountedUsage.total(second).totalTokens(), "the call is counted once");
    assertEquals(List.of(call), CountedUsage.countedSpans(second));
  }

  @Test
  void aStreamedMessageEndsWithItsStreamAndRecordsTheTurn() throws Exception {
    server.enqueue("streamGenerateContent", Reply.sse("stream-generate-content"));
    server.enqueue("generateContent", Reply.recorded("generate-content"));
    Chat chat = client.chats.create(MODEL);

    StringBuilder text = new StringBuilder();
    try (ResponseStream<GenerateContentResponse> stream = chat.sendMessageStream("find java yaml parsers")) {
      for (GenerateContentResponse chunk : stream) {
        text.append(chunk.text());
      }
    }
    chat.sendMessage("and python ones?");

    Span streamed = agent.nextTrace(WAIT);
    assertEquals("google_genai.chats.send_message_stream", streamed.name());
    assertEquals(SpanStatus.OK, streamed.status());
    assertEquals(text.toString(), firstText(streamed.outputs()));
    assertEquals(1, streamed.children().size());
    assertEquals("google_genai.models.generate_content_stream", streamed.children().get(0).name());
    assertEquals(64L, CountedUsage.total(streamed).totalTokens());
    assertNull(map(streamed.inputs()).get("generationConfig"));
    // The contents the next message sent, however this SDK version records a streamed turn in the history.
    Span next = agent.nextTrace(WAIT);
    List<Object> sent = list(ai.wandb.agent.api.Json.parseObject(server.requests().get(1).body()).get("contents"));
    assertEquals(sent.size(), list(map(next.inputs()).get("contents")).size());
    assertEquals(true, sent.size() >= 3, sent.toString());
  }

  @Test
  void anAsyncChatMessageIsTracedTheSameWay() throws Exception {
    server.enqueue("generateContent", Reply.recorded("generate-content"));
    AsyncChat chat = client.async.chats.create(MODEL);

    String text = chat.sendMessage("find java yaml parsers").get(10, TimeUnit.SECONDS).text();

    Span span = agent.nextTrace(WAIT);
    assertEquals("google_genai.chats.send_message", span.name());
    assertEquals(SpanStatus.OK, span.status());
    assertEquals(text, firstText(span.outputs()));
    assertEquals(1, span.children().size());
    assertEquals("google_genai.models.generate_content", span.children().get(0).name());
  }

  @Test
  void anAsyncChatStreamEndsWithItsStream() throws Exception {
    server.enqueue("streamGenerateContent", Reply.sse("stream-generate-content"));
    AsyncChat chat = client.async.chats.create(MODEL);

    StringBuilder text = new StringBuilder();
    try (ResponseStream<GenerateContentResponse> stream =
        chat.sendMessageStream("find java yaml parsers").get(10, TimeUnit.SECONDS)) {
      for (GenerateContentResponse chunk : stream) {
        text.append(chunk.text());
      }
    }

    Span span = agent.nextTrace(WAIT);
    assertEquals("google_genai.chats.send_message_stream", span.name());
    assertEquals(SpanStatus.OK, span.status());
    assertEquals(text.toString(), firstText(span.outputs()));
    assertEquals(64L, CountedUsage.total(span).totalTokens());
  }
}
