package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A web request's root span: exported only when GenAI work ran inside it. */
class LatentRootTest {
  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

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
  void aRequestWithoutGenAiWorkIsDroppedSilentlyAndNeverAnnounced() {
    Span request = Tracer.startLatent("GET /health", SpanKind.CHAIN, null, null, null);
    Span step = Tracer.start("Health.check", SpanKind.CHAIN, null, null);
    Tracer.end(step, "ok", null);
    assertFalse(request.exported());
    Tracer.end(request, null, null);

    assertTrue(started.isEmpty(), started.toString());
    assertTrue(finished.isEmpty(), finished.toString());
    assertNull(Tracer.current());
  }

  @Test
  void theFirstGenAiSpanAnnouncesTheOpenStepsOutermostFirstAndTheTraceIsExported() {
    Span request = Tracer.startLatent("POST /ask", SpanKind.CHAIN, null, null, null);
    Span earlier = Tracer.start("Cache.lookup", SpanKind.CHAIN, null, null);
    Tracer.end(earlier, null, null);
    Span step = Tracer.start("Assistant.answer", SpanKind.CHAIN, null, null);
    assertFalse(request.exported());
    Span first = Tracer.start("openai.chat.completions.create", SpanKind.LLM, null, null);
    assertTrue(request.exported());
    Tracer.end(first, null, null);
    Span second = Tracer.start("openai.chat.completions.create", SpanKind.LLM, null, null);
    Tracer.end(second, null, null);
    Tracer.end(step, null, null);
    Tracer.end(request, null, null);

    assertEquals(List.of(request, step, first, second), started);
    assertEquals(List.of(request), finished);
    assertEquals(List.of(earlier, step), request.children());
    assertEquals(first.traceId(), request.traceId());
  }

  @Test
  void everyGenAiKindCountsButChainDoesNot() {
    for (SpanKind kind : SpanKind.values()) {
      finished.clear();
      Span request = Tracer.startLatent("POST /x", SpanKind.CHAIN, null, null, null);
      Tracer.end(Tracer.start("inner", kind, null, null), null, null);
      Tracer.end(request, null, null);
      assertEquals(kind == SpanKind.CHAIN ? 0 : 1, finished.size(), kind.name());
    }
  }

  @Test
  void anInboundTraceparentGivesTheTraceItsIdAndTheRootItsRemoteParent() {
    Span request = Tracer.startLatent("POST /ask", SpanKind.CHAIN, null, null, TRACEPARENT);
    Span llm = Tracer.start("llm", SpanKind.LLM, null, null);

    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", request.traceId());
    assertEquals("00f067aa0ba902b7", request.remoteParentId());
    assertNull(request.parentId());
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", llm.traceId());
    assertNull(llm.remoteParentId());
    Tracer.end(llm, null, null);
    Tracer.end(request, null, null);
  }

  @Test
  void anInvalidTraceparentIsIgnored() {
    for (String bad : new String[] {"", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"}) {
      Span request = Tracer.startLatent("GET /", SpanKind.CHAIN, null, null, bad);
      assertTrue(!request.traceId().equals("4bf92f3577b34da6a3ce929d0e0e4736"), bad);
      assertNull(request.remoteParentId(), bad);
      Tracer.end(request, null, null);
    }
  }

  @Test
  void atShutdownAnOpenRequestIsExportedOnlyIfItDidGenAiWork() throws Exception {
    Thread idle = new Thread(() -> Tracer.startLatent("GET /slow", SpanKind.CHAIN, null, null, null));
    idle.start();
    idle.join();
    Span[] busy = new Span[1];
    Thread working = new Thread(() -> {
      busy[0] = Tracer.startLatent("POST /ask", SpanKind.CHAIN, null, null, null);
      Tracer.start("llm", SpanKind.LLM, null, null);
    });
    working.start();
    working.join();

    Tracer.endAllOpen("the JVM exited before this span ended");

    assertEquals(List.of(busy[0]), finished);
  }

  @Test
  void underACurrentSpanALatentStartIsAnOrdinaryChild() {
    Span job = Tracer.start("Job.run", SpanKind.CHAIN, null, null);
    Span request = Tracer.startLatent("GET /inner", SpanKind.CHAIN, null, null, TRACEPARENT);

    assertSame(job, request.parent());
    assertEquals(job.traceId(), request.traceId());
    Tracer.end(request, null, null);
    Tracer.end(job, null, null);
    assertEquals(List.of(job), finished);
  }
}
