package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TracerTest {
  private final List<Span> started = new ArrayList<>();
  private final List<Span> finishedTraces = new ArrayList<>();
  private final AtomicLong nanos = new AtomicLong(1_000);

  @BeforeEach
  void install() {
    Tracer.setClock(new Clock() {
      @Override
      public long nanoTime() {
        return nanos.get();
      }

      @Override
      public long currentTimeMillis() {
        return 1_700_000_000_000L;
      }
    });
    Tracer.setListener(new SpanListener() {
      @Override
      public void onStart(Span span) {
        started.add(span);
      }

      @Override
      public void onTraceEnd(Span root) {
        finishedTraces.add(root);
      }
    });
  }

  @AfterEach
  void uninstall() {
    Tracer.setListener(null);
    Tracer.setClock(Clock.SYSTEM);
    Tracer.restore(null);
  }

  @Test
  void nestedSpansShareTheTraceAndPointAtTheirParent() {
    Span agent = Tracer.start("agent", SpanKind.AGENT, null, null);
    Span llm = Tracer.start("llm", SpanKind.LLM, null, null);

    assertSame(agent, llm.parent());
    assertEquals(agent.traceId(), llm.traceId());
    assertEquals(agent.spanId(), llm.parentId());
    assertEquals(32, agent.traceId().length());
    assertEquals(16, agent.spanId().length());
    assertNull(agent.parentId());
    assertEquals(List.of(llm), agent.children());
    assertEquals(List.of(agent, llm), started);
  }

  @Test
  void endRestoresTheParentAsCurrentAndTheTraceIsReportedWhenTheRootEnds() {
    Span agent = Tracer.start("agent", SpanKind.AGENT, null, null);
    Span llm = Tracer.start("llm", SpanKind.LLM, null, null);
    nanos.addAndGet(5_000);
    Tracer.end(llm, "answer", null);

    assertSame(agent, Tracer.current());
    assertTrue(finishedTraces.isEmpty());
    Tracer.end(agent, null, null);

    assertNull(Tracer.current());
    assertEquals(List.of(agent), finishedTraces);
    assertEquals(5_000, llm.durationNanos());
    assertEquals(1_700_000_000_000_000_000L, agent.startEpochNanos());
    assertEquals(agent.startEpochNanos() + 5_000, agent.endEpochNanos());
    assertEquals("answer", llm.response());
  }

  @Test
  void aSpanEndsOnceAndTheFirstOutcomeWins() {
    Span llm = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(llm, null, new IllegalStateException("boom"));
    Tracer.end(llm, "late answer", null);

    assertEquals(SpanStatus.ERROR, llm.status());
    assertEquals("boom", llm.errorJson().get("message"));
    assertNull(llm.response());
    assertEquals(1, finishedTraces.size());
  }

  @Test
  void aChildThatOutlivesItsRootHoldsTheTraceBackUntilItEnds() {
    Span agent = Tracer.start("agent", SpanKind.AGENT, null, null);
    Span stream = Tracer.start("stream", SpanKind.LLM, null, null);
    Tracer.exit(stream);
    Tracer.end(agent, null, null);
    assertTrue(finishedTraces.isEmpty());

    Tracer.end(stream, null, null);
    assertEquals(List.of(agent), finishedTraces);
  }

  @Test
  void attachCarriesAParentToAnotherThread() throws Exception {
    Span agent = Tracer.start("agent", SpanKind.AGENT, null, null);
    Span[] child = new Span[1];
    Thread worker = new Thread(() -> {
      Span previous = Tracer.attach(agent);
      try {
        child[0] = Tracer.start("tool", SpanKind.TOOL, null, null);
        Tracer.end(child[0], null, null);
      } finally {
        Tracer.restore(previous);
      }
    });
    worker.start();
    worker.join();

    assertSame(agent, child[0].parent());
    assertSame(agent, Tracer.current());
  }

  @Test
  void shutdownEndsOpenSpansAsErrorsSayingWhy() {
    Span agent = Tracer.start("agent", SpanKind.AGENT, null, null);
    Span stream = Tracer.start("stream", SpanKind.LLM, null, null);

    assertEquals(2, Tracer.endAllOpen("the JVM shut down before the span ended"));

    assertEquals(List.of(agent), finishedTraces);
    assertEquals(SpanStatus.ERROR, stream.status());
    assertEquals("the JVM shut down before the span ended", stream.errorJson().get("message"));
  }

  @Test
  void aListenerThatThrowsNeverReachesTheCaller() {
    Tracer.setListener(new SpanListener() {
      @Override
      public void onStart(Span span) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onTraceEnd(Span root) {
        throw new IllegalStateException("listener bug");
      }
    });
    Span span = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(span, null, null);
    assertTrue(span.isEnded());
  }

  @Test
  void aSpanContinuingARemoteCallerIsARootOfTheCallersTraceAndRestoresWhatWasCurrent() {
    Span request = Tracer.start("POST /mcp", SpanKind.CHAIN, null, null);
    Span tool = Tracer.startContinuing("mcp.tools/call add", SpanKind.TOOL, null, null,
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", tool.traceId());
    assertNull(tool.parentId());
    assertEquals("00f067aa0ba902b7", tool.remoteParentId());
    assertSame(tool, Tracer.current());
    Tracer.end(tool, null, null);
    assertSame(request, Tracer.current());
    assertTrue(request.children().isEmpty());
    assertEquals(List.of(tool), finishedTraces);
    Tracer.end(request, null, null);
  }

  @Test
  void aSpanWithoutAValidTraceparentStartsAsUsual() {
    Span request = Tracer.start("job", SpanKind.CHAIN, null, null);
    Span tool = Tracer.startContinuing("mcp.tools/call add", SpanKind.TOOL, null, null, "not-a-traceparent");
    assertSame(request, tool.parent());
    Tracer.end(tool, null, null);
    Tracer.end(request, null, null);
  }
}
