package ai.wandb.agent.export.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The run's cost keys: {@code cost/usd} per history row and {@code total/cost_usd} in the summary, each call once. */
class RunCostTest {
  @AfterEach
  void clear() {
    Tracer.restore(null);
  }

  private static Span layeredCall(String model) {
    Span framework = Tracer.start("langchain4j.chat", SpanKind.LLM, null, null);
    Span sdk = Tracer.start("openai.chat.completions.create", SpanKind.LLM, null, null);
    Tracer.end(sdk, null, null);
    Tracer.end(framework, null, null);
    for (Span span : new Span[] {framework, sdk}) {
      span.attributes().put("gen_ai.request.model", model);
      span.setUsage(new Usage(1000L, 100L, null, null, null));
    }
    return framework;
  }

  @Test
  void aPricedTraceLogsItsCostOnceAndTheSummaryAddsItUp() {
    RunTotals totals = new RunTotals();
    TraceMetrics first = TraceMetrics.of(layeredCall("gpt-4o-mini"));
    TraceMetrics second = TraceMetrics.of(layeredCall("gpt-4o-mini"));
    totals.add(first);
    totals.add(second);

    double oneCall = (1000 * 0.15 + 100 * 0.60) / 1e6;
    assertEquals(oneCall, (Double) first.row().get("cost/usd"), 1e-15);
    assertEquals(2 * oneCall, (Double) totals.summary().get("total/cost_usd"), 1e-15);
  }

  @Test
  void anUnpricedTraceHasNoCostKeyRatherThanAZero() {
    TraceMetrics metrics = TraceMetrics.of(layeredCall("in-house-model"));
    assertFalse(metrics.row().containsKey("cost/usd"));
  }
}
