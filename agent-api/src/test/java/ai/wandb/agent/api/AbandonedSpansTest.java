package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AbandonedSpansTest {
  private final LinkedBlockingQueue<Span> ended = new LinkedBlockingQueue<>();

  @BeforeEach
  void listen() {
    Tracer.setListener(new SpanListener() {
      @Override
      public void onStart(Span span) {}

      @Override
      public void onTraceEnd(Span root) {
        ended.add(root);
      }
    });
  }

  @AfterEach
  void stopListening() {
    Tracer.setListener(null);
  }

  @Test
  void aSpanWhoseOwnerIsCollectedEndsAsAnErrorSayingWhy() throws Exception {
    Span span = startAndExit();
    watchAnOwnerThatIsDroppedAtOnce(span);

    Span root = null;
    for (int i = 0; i < 200 && root == null; i++) {
      System.gc();
      root = ended.poll(50, TimeUnit.MILLISECONDS);
    }

    assertSame(span, root);
    assertEquals(SpanStatus.ERROR, span.status());
    assertEquals("dropped while open", span.errorJson().get("message"));
  }

  @Test
  void aCancelledWatchIsForgottenAndDoesNotEndTheSpanAgain() throws Exception {
    int before = AbandonedSpans.watched();
    Span span = startAndExit();
    AbandonedSpans.Watch watch = AbandonedSpans.watch(new Object(), span, "dropped while open");
    Tracer.end(span, "done", null);
    watch.cancel();

    assertEquals(before, AbandonedSpans.watched());
    assertSame(span, ended.poll(5, TimeUnit.SECONDS));
    assertEquals(SpanStatus.OK, span.status());
  }

  private static Span startAndExit() {
    Span span = Tracer.start("stream", SpanKind.LLM, null, null);
    Tracer.exit(span);
    return span;
  }

  private static void watchAnOwnerThatIsDroppedAtOnce(Span span) {
    AbandonedSpans.watch(new Object(), span, "dropped while open");
  }
}
