package ai.wandb.agent.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ContextExecutorTest {
  @Test
  void taskRunsWithTheSpanCurrentAtSubmissionAndLeavesTheWorkerAsItWas() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Object wrapped = ContextExecutor.wrap(pool);
      assertSame(wrapped, ContextExecutor.wrap(wrapped));
      Span service = Tracer.start("service", SpanKind.AGENT, null, null);
      CompletableFuture<Span> seen = CompletableFuture.supplyAsync(Tracer::current, (ContextExecutor) wrapped);
      Tracer.end(service, null, null);

      assertSame(service, seen.get(5, TimeUnit.SECONDS));
      assertNull(pool.submit(Tracer::current).get(5, TimeUnit.SECONDS));
    } finally {
      pool.shutdown();
    }
  }
}
