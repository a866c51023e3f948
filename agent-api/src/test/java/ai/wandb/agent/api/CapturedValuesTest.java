package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CapturedValuesTest {
  @AfterEach
  void reset() {
    CapturedValues.configure(CapturedValues.DEFAULT_MAX_CHARS, null);
    Tracer.setCaptureContent(true);
  }

  @Test
  void textOverTheLimitKeepsItsHeadAndSaysHowMuchWasDropped() {
    CapturedValues.configure(10, null);

    assertEquals("0123456789 <truncated by wandb-agent: 5 of 15 chars dropped (wandb.max_value_chars=10)>",
        CapturedValues.text("0123456789abcde"));
    assertEquals("0123456789", CapturedValues.text("0123456789"));
  }

  @Test
  void aTwentyMegabytePromptIsKeptAsOneMebibytePlusTheMarker() {
    String prompt = "x".repeat(20 * 1024 * 1024);
    Span span = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(span, null, null);
    span.setInputs(Map.of("messages", List.of(Map.of("role", "user", "content", prompt))));

    String kept = (String) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) span.inputs()).get("messages")).get(0)).get("content");
    assertTrue(kept.startsWith("x".repeat(CapturedValues.DEFAULT_MAX_CHARS) + " <truncated by wandb-agent: "), kept.substring(0, 20));
    assertTrue(kept.endsWith("19922944 of 20971520 chars dropped (wandb.max_value_chars=1048576)>"),
        kept.substring(kept.length() - 80));
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    CapturedValues.configure(3, null);
    String kept = CapturedValues.text("ab\uD83D\uDE00cd");
    assertTrue(kept.startsWith("ab <truncated"), kept);
  }

  @Test
  void unpairedSurrogatesBecomeReplacementCharactersAndPairsSurvive() {
    assertEquals("a\uFFFDb\uD83D\uDE00c\uFFFD", CapturedValues.text("a\uDC00b\uD83D\uDE00c\uD800"));
    assertEquals("nul\u0000 and bytes \u00ff\u00fe stay", CapturedValues.text("nul\u0000 and bytes \u00ff\u00fe stay"));
  }

  @Test
  void treesDeeperThanTheBoundEndInAMarkerWithoutRecursingFurther() {
    Object deep = "leaf";
    for (int i = 0; i < 100_000; i++) {
      deep = List.of(Map.of("arguments", deep));
    }
    Object kept = CapturedValues.tree(deep);

    int depth = 0;
    Object node = kept;
    while (!(node instanceof String)) {
      node = node instanceof List ? ((List<?>) node).get(0) : ((Map<?, ?>) node).get("arguments");
      depth++;
    }
    assertEquals(CapturedValues.MAX_DEPTH, depth);
    assertEquals(CapturedValues.TOO_DEEP, node);
    assertTrue(Json.write(kept).contains("nested deeper than 64 levels"));
  }

  @Test
  void secretsAreRedactedInInputsOutputsAttributesAndErrors() {
    String openAiKey = "sk-proj-AbCdEf0123456789AbCdEf0123456789";
    String wandbKey = "0123456789abcdef0123456789abcdef01234567";
    CapturedValues.configure(CapturedValues.DEFAULT_MAX_CHARS,
        Redactor.of(List.of(Pattern.compile("order-\\d{4,}")), List.of(wandbKey)));
    Span span = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(span, null, new IllegalStateException("401 for key " + openAiKey + " and " + wandbKey));
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("Authorization", "plain-token-without-scheme");
    headers.put("content-type", "application/json");
    span.setInputs(Map.of("prompt", "my key is " + openAiKey + ", order-12345", "headers", headers));
    span.setOutputs("curl -H 'Authorization: Bearer abcdefghijkl0123' -d api_key=" + wandbKey);
    span.setAttribute("note", "WANDB_API_KEY=" + wandbKey);

    String json = Json.write(List.of(span.inputs(), span.outputs(), span.attributes(), span.errorJson()));
    for (String secret : List.of(openAiKey, wandbKey, "plain-token-without-scheme", "abcdefghijkl0123", "order-12345")) {
      assertFalse(json.contains(secret), secret + " leaked: " + json);
    }
    assertTrue(json.contains("my key is <redacted>, <redacted>"), json);
    assertTrue(json.contains("\"Authorization\":\"<redacted>\""), json);
    assertTrue(json.contains("\"content-type\":\"application/json\""), json);
    assertTrue(json.contains("Authorization: <redacted>"), json);
  }

  @Test
  void redactionRunsBeforeTheContentFilterSoStructureStaysReadable() {
    Tracer.setCaptureContent(false);
    Span span = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(span, null, null);
    List<Object> messages = new ArrayList<>();
    messages.add(Map.of("role", "user", "content", "hello"));
    span.setInputs(Map.of("model", "gpt-4o-mini", "messages", messages));

    assertEquals(Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("role", "user", "content", "<redacted: 5 chars>"))),
        span.inputs());
  }

  @Test
  void anExceptionWhoseMessageAndStackThrowStillEndsAsAnErrorSpanSayingSo() {
    RuntimeException hostile = new RuntimeException() {
      private static final long serialVersionUID = 1L;

      @Override
      public String getMessage() {
        throw new IllegalStateException("no message");
      }

      @Override
      public void printStackTrace(java.io.PrintWriter out) {
        throw new IllegalStateException("no stack");
      }
    };
    Span span = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(span, null, hostile);

    Map<String, Object> error = span.errorJson();
    assertEquals("<the exception's getMessage() threw java.lang.IllegalStateException>", error.get("message"));
    assertEquals("<the exception's printStackTrace() threw java.lang.IllegalStateException>", error.get("stack"));
  }
}
