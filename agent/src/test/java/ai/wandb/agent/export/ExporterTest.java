package ai.wandb.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExporterTest {
  private final ByteArrayOutputStream said = new ByteArrayOutputStream();

  @AfterEach
  void reset() {
    // A test that failed with a span open must not leave it open, and current, for the next one.
    Tracer.endAllOpen("the test ended");
    Tracer.restore(null);
    Tracer.setListener(null);
    AgentLog.setOutput(null);
  }

  @Test
  void finishedTracesAreRenderedOffTheApplicationThreadAndReachEverySink() throws Exception {
    RecordingSink first = new RecordingSink(false);
    RecordingSink second = new RecordingSink(false);
    Exporter exporter = new Exporter(List.of(first, second), 16, 10);
    Tracer.setListener(exporter);
    List<String> renderThreads = new CopyOnWriteArrayList<>();

    Span root = Tracer.start("agent", SpanKind.AGENT, "question", recordingRenderer(renderThreads));
    Span child = Tracer.start("llm", SpanKind.LLM, "prompt", recordingRenderer(renderThreads));
    Tracer.end(child, "answer", null);
    Tracer.end(root, "done", null);
    assertTrue(first.exported.await(5, TimeUnit.SECONDS));
    exporter.shutdown(1000);

    assertEquals(List.of(root), first.roots);
    assertEquals(List.of(root), second.roots);
    assertEquals("prompt", child.inputs());
    assertEquals("answer", child.outputs());
    assertEquals(List.of("wandb-agent-exporter"), renderThreads.stream().distinct().toList());
    assertEquals(1, exporter.stats().tracesExported());
    assertEquals(2, exporter.stats().spansExported());
  }

  @Test
  void spansOpenedAtOnceBeforeTheFirstTraceTakeNoRoomFromTheTraces() throws Exception {
    RecordingSink sink = new RecordingSink(false);
    Exporter exporter = new Exporter(List.of(sink), 16, 10);
    Tracer.setListener(exporter);
    List<Span> roots = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      roots.add(Tracer.start("llm", SpanKind.LLM, "prompt " + i, null));
      Tracer.restore(null); // the next is a root of its own, as on another thread
    }
    for (int i = 0; i < 12; i++) {
      Tracer.end(roots.get(i), "answer", null);
    }
    exporter.shutdown(5000);

    // Queued whatever the sinks wanted, 40 starts would have filled the 16 places before the traces came.
    assertEquals(0, exporter.stats().tracesDropped());
    assertEquals(roots.subList(0, 12), sink.roots);
  }

  @Test
  void theWorkerRendersTheFirstSpansInputsWhileItsCallIsInFlight() throws Exception {
    RecordingSink sink = new RecordingSink(false);
    Exporter exporter = new Exporter(List.of(sink), 16, 10);
    Tracer.setListener(exporter);
    List<String> renderThreads = new CopyOnWriteArrayList<>();

    Span first = Tracer.start("llm", SpanKind.LLM, "prompt", recordingRenderer(renderThreads));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (first.inputs() == null && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals("prompt", first.inputs(), "rendered before the span ended, though no sink wants starts");
    Tracer.end(first, "answer", null);
    assertTrue(sink.exported.await(5, TimeUnit.SECONDS));

    Span later = Tracer.start("llm", SpanKind.LLM, "second prompt", recordingRenderer(renderThreads));
    Thread.sleep(100);
    assertNull(later.inputs(), "after the first span, starts go only to the sinks that want them");
    Tracer.end(later, "answer", null);
    exporter.shutdown(1000);

    assertEquals("second prompt", later.inputs());
    assertEquals(List.of(first, later), sink.roots);
    assertEquals(List.of("wandb-agent-exporter"), renderThreads.stream().distinct().toList());
  }

  @Test
  void shutdownDoesNotWaitForTheIdleExporterToWakeOnItsOwn() throws Exception {
    RecordingSink sink = new RecordingSink(false);
    Exporter exporter = new Exporter(List.of(sink), 16, 60_000);
    Tracer.setListener(exporter);
    Tracer.end(Tracer.start("llm", SpanKind.LLM, "prompt", recordingRenderer(new ArrayList<>())), "answer", null);
    assertTrue(sink.exported.await(5, TimeUnit.SECONDS));
    Thread.sleep(200); // the exporter is now waiting for the next trace, up to its 60 s flush interval

    long began = System.nanoTime();
    exporter.shutdown(30_000);

    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    assertTrue(tookMillis < 5_000, "shutdown took " + tookMillis + " ms");
    assertTrue(sink.closeTimeouts.get(0) > 25_000, "the sink keeps most of the bound: " + sink.closeTimeouts);
  }

  @Test
  void theSinksCloseWithinWhatTheDrainLeftOfTheOneShutdownBound() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    RecordingSink slow = new RecordingSink(false) {
      @Override
      public void export(List<Span> batch) {
        try {
          never.await(300, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.export(batch);
      }
    };
    RecordingSink next = new RecordingSink(false);
    Exporter exporter = new Exporter(List.of(slow, next), 16, 10);
    Tracer.setListener(exporter);
    Tracer.end(Tracer.start("agent", SpanKind.AGENT, "question", recordingRenderer(new CopyOnWriteArrayList<>())),
        "done", null);

    exporter.shutdown(1000);

    // The drain spent at least 300 ms of the 1000: the sinks get what is left, not a bound of their own.
    assertTrue(slow.closeTimeouts.get(0) <= 700 && slow.closeTimeouts.get(0) > 0, slow.closeTimeouts.toString());
    assertTrue(next.closeTimeouts.get(0) <= slow.closeTimeouts.get(0), next.closeTimeouts + " " + slow.closeTimeouts);
    assertEquals(1, next.roots.size());
  }

  @Test
  void aFullQueueDropsCountsAndSaysSoOnceWithoutBlockingTheCaller() throws Exception {
    AgentLog.setOutput(new PrintStream(said, true, StandardCharsets.UTF_8));
    CountDownLatch inExport = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Sink stuck = new RecordingSink(false) {
      @Override
      public void export(List<Span> batch) {
        inExport.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    Exporter exporter = new Exporter(List.of(stuck), 16, 10);
    Tracer.setListener(exporter);
    Tracer.end(Tracer.start("first", SpanKind.LLM, null, null), null, null);
    assertTrue(inExport.await(5, TimeUnit.SECONDS));

    for (int i = 0; i < 20; i++) {
      Tracer.end(Tracer.start("llm", SpanKind.LLM, null, null), null, null);
    }
    release.countDown();
    exporter.shutdown(5000);

    assertEquals(4, exporter.stats().tracesDropped());
    assertEquals(17, exporter.stats().tracesExported());
    String output = said.toString(StandardCharsets.UTF_8);
    assertTrue(output.contains("dropped 4 trace(s): the export queue was full (wandb.queue_size=16)"), output);
    assertEquals(1, output.lines().filter(line -> line.contains("dropped")).count());
  }

  @Test
  void aSinkThatFailsDoesNotStopTheOthersAndIsCountedLeavingTheWarningToTheSink() {
    AgentLog.setOutput(new PrintStream(said, true, StandardCharsets.UTF_8));
    RecordingSink healthy = new RecordingSink(false);
    Exporter exporter = new Exporter(List.of(new RecordingSink(true), healthy), 16, 10);
    Tracer.setListener(exporter);
    Span root = Tracer.start("llm", SpanKind.LLM, null, null);
    Tracer.end(root, null, null);
    exporter.shutdown(5000);

    assertEquals(List.of(root), healthy.roots);
    assertEquals(1, exporter.stats().exportFailures());
    assertEquals("", said.toString(StandardCharsets.UTF_8), "the failing sink warns in its own words");
  }

  private static SpanRenderer recordingRenderer(List<String> threads) {
    return new SpanRenderer() {
      @Override
      public void renderStart(Span span) {
        threads.add(Thread.currentThread().getName());
        span.setInputs(span.request());
      }

      @Override
      public void renderEnd(Span span) {
        threads.add(Thread.currentThread().getName());
        span.setOutputs(span.response());
      }
    };
  }

  private static class RecordingSink implements Sink {
    final List<Span> roots = new ArrayList<>();
    final CountDownLatch exported = new CountDownLatch(1);
    private final boolean fail;

    RecordingSink(boolean fail) {
      this.fail = fail;
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public String location() {
      return null;
    }

    @Override
    public boolean wantsStartEvents() {
      return false;
    }

    @Override
    public void spanStarted(Span span) {}

    @Override
    public void export(List<Span> batch) {
      if (fail) {
        throw new IllegalStateException("sink down");
      }
      roots.addAll(batch);
      exported.countDown();
    }

    final List<Long> closeTimeouts = new ArrayList<>();

    @Override
    public void close(long timeoutMillis) {
      closeTimeouts.add(timeoutMillis);
    }

    @Override
    public String exitNote() {
      return null;
    }
  }
}
