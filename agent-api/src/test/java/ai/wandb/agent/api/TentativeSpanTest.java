package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A span that exists only if confirmed before it ends (a model call that loops); otherwise it dissolves. */
class TentativeSpanTest {
  private final List<Span> started = new ArrayList<>();
  private final List<Span> finished = new ArrayList<>();

  @BeforeEach
  void install() {
    Tracer.setListener(new SpanListener() {
      @Override
      public void onStart(Span span) {
        started.add(span);
      }

      @Override
      public void onTraceEnd(Span root) {
        finished.add(root);
      }
    });
  }

  @AfterEach
  void uninstall() {
    Tracer.setListener(null);
    Tracer.restore(null);
  }

  @Test
  void unconfirmedWithoutParentItsOnlyChildIsTheRootAndNobodyHeardOfIt() {
    Span group = Tracer.startTentative("model", SpanKind.CHAIN, null, null);
    Span round = Tracer.start("chat", SpanKind.LLM, null, null);
    Span inner = Tracer.start("sdk", SpanKind.LLM, null, null);
    Tracer.end(inner, null, null);
    Tracer.end(round, null, null);
    assertSame(group, Tracer.current());
    Tracer.end(group, null, null);

    assertTrue(started.isEmpty(), "no start was announced while it could still dissolve: " + started);
    assertEquals(List.of(round), finished);
    assertNull(round.parent());
    assertNull(round.parentId());
    assertEquals(List.of(inner), round.children());
    assertEquals(round.traceId(), inner.traceId());
    assertNull(Tracer.current());
  }

  @Test
  void unconfirmedUnderAParentItsChildrenTakeItsPlace() {
    Span app = Tracer.start("app", SpanKind.CHAIN, null, null);
    Span before = Tracer.start("before", SpanKind.TOOL, null, null);
    Tracer.end(before, null, null);
    Span group = Tracer.startTentative("model", SpanKind.CHAIN, null, null);
    Span round = Tracer.start("chat", SpanKind.LLM, null, null);
    Tracer.end(round, null, null);
    Tracer.end(group, null, null);
    Span after = Tracer.start("after", SpanKind.TOOL, null, null);
    Tracer.end(after, null, null);
    Tracer.end(app, null, null);

    assertEquals(List.of(before, round, after), app.children());
    assertSame(app, round.parent());
    assertEquals(app.spanId(), round.parentId());
    assertEquals(List.of(app, before, after), started, "the dissolved span and what ended under it were never announced");
    assertEquals(List.of(app), finished);
  }

  @Test
  void confirmedItIsAnOrdinarySpanAnnouncedWithWhatIsOpenUnderIt() {
    Span app = Tracer.start("app", SpanKind.CHAIN, null, null);
    Span group = Tracer.startTentative("model", SpanKind.CHAIN, null, null);
    Span round = Tracer.start("chat", SpanKind.LLM, null, null);
    Tracer.end(round, null, null);
    Span tool = Tracer.start("tool", SpanKind.TOOL, null, null);
    assertEquals(List.of(app), started, "held back until confirmed");
    Tracer.confirm(group);
    Tracer.confirm(group);
    Tracer.end(tool, null, null);
    Span second = Tracer.start("chat", SpanKind.LLM, null, null);
    Tracer.end(second, null, null);
    Tracer.end(group, null, null);
    Tracer.end(app, null, null);

    assertEquals(List.of(app, group, tool, second), started, "the ended round trip is exported with the trace");
    assertEquals(List.of(group), app.children());
    assertEquals(List.of(round, tool, second), group.children());
    assertSame(group, round.parent());
    assertEquals(List.of(app), finished);
  }

  @Test
  void aParentlessOneWithSeveralChildrenStaysAsTheRoot() {
    Span group = Tracer.startTentative("model", SpanKind.CHAIN, null, null);
    Span first = Tracer.start("chat", SpanKind.LLM, null, null);
    Tracer.end(first, null, null);
    Span second = Tracer.start("chat", SpanKind.LLM, null, null);
    Tracer.end(second, null, null);
    Tracer.end(group, null, null);

    assertEquals(List.of(group), finished);
    assertEquals(List.of(first, second), group.children());
  }

  @Test
  void insideALatentRequestTheFirstGenAiSpanAnnouncesTheStepsAboveTheTentativeOne() {
    Span request = Tracer.startLatent("POST /ask", SpanKind.CHAIN, null, null, null);
    Span group = Tracer.startTentative("model", SpanKind.CHAIN, null, null);
    Span round = Tracer.start("chat", SpanKind.LLM, null, null);
    assertEquals(List.of(request), started);
    Tracer.end(round, null, null);
    Tracer.end(group, null, null);
    Tracer.end(request, null, null);

    assertEquals(List.of(request), finished);
    assertEquals(List.of(round), request.children());
    assertTrue(request.exported());
  }
}
