package ai.wandb.agent.instrumentation.executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The side table alone, on one thread: capture at hand-off, attach and restore around the run. */
class HandOffsTest {
  private final Object task = new Object();

  @AfterEach
  void noSpanLeftCurrent() {
    Tracer.restore(null);
  }

  @Test
  void theSpanCurrentAtHandOffIsCurrentWhileTheTaskRunsAndTheWorkersComesBack() {
    Span handedOff = Tracer.start("hand-off", SpanKind.CHAIN, null, null);
    HandOffs.CAPTURE.apply(task);
    Tracer.end(handedOff, null, null);
    Span workers = Tracer.start("worker's own", SpanKind.CHAIN, null, null);

    Object token = HandOffs.ATTACH.apply(task);
    assertSame(handedOff, Tracer.current());
    HandOffs.RESTORE.apply(token);

    assertSame(workers, Tracer.current());
    Tracer.end(workers, null, null);
  }

  @Test
  void aWorkerWithoutASpanHasNoneAfterTheTask() {
    Span handedOff = Tracer.start("hand-off", SpanKind.CHAIN, null, null);
    HandOffs.CAPTURE.apply(task);
    Tracer.end(handedOff, null, null);

    HandOffs.RESTORE.apply(HandOffs.ATTACH.apply(task));

    assertNull(Tracer.current());
  }

  @Test
  void withoutACurrentSpanNothingIsCapturedAndTheRunChangesNothing() {
    int before = HandOffs.pending();
    HandOffs.CAPTURE.apply(task);
    assertEquals(before, HandOffs.pending());
    assertNull(HandOffs.ATTACH.apply(task));
  }

  @Test
  void theFirstHandOffWinsAndRunningConsumesIt() {
    Span first = Tracer.start("first", SpanKind.CHAIN, null, null);
    HandOffs.CAPTURE.apply(task);
    Span second = Tracer.start("second", SpanKind.CHAIN, null, null);
    HandOffs.CAPTURE.apply(task);
    Tracer.end(second, null, null);
    Tracer.end(first, null, null);

    Object token = HandOffs.ATTACH.apply(task);
    assertSame(first, Tracer.current());
    HandOffs.RESTORE.apply(token);
    assertNull(HandOffs.ATTACH.apply(task), "a second run without a new hand-off brings no span");
  }

  @Test
  void keysAreIdentitiesNotEquals() {
    Span span = Tracer.start("hand-off", SpanKind.CHAIN, null, null);
    HandOffs.CAPTURE.apply("same text");
    Tracer.end(span, null, null);

    assertNull(HandOffs.ATTACH.apply(new String("same text")));
  }

  @Test
  void aTaskThatNeverRunsIsNotKeptAliveAndItsEntryGoes() throws InterruptedException {
    Span span = Tracer.start("hand-off", SpanKind.CHAIN, null, null);
    int before = HandOffs.pending();
    HandOffs.CAPTURE.apply(new Object());
    assertEquals(before + 1, HandOffs.pending());
    Tracer.end(span, null, null);

    // Collection is up to the GC: wait for it (a run of any other task expunges what it cleared).
    Object other = new Object();
    for (int i = 0; i < 200 && HandOffs.pending() > before; i++) {
      System.gc();
      Thread.sleep(10);
      HandOffs.ATTACH.apply(other);
    }
    // Other tests' stale entries (tasks that never ran) may go too.
    assertTrue(HandOffs.pending() <= before, HandOffs.pending() + " entries, " + before + " before");
  }
}
