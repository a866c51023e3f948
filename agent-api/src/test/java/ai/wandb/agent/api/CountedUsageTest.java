package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CountedUsageTest {
  @AfterEach
  void clear() {
    Tracer.restore(null);
  }

  @Test
  void aCallTracedByTwoLayersCountsOnceAtTheInnermostLayer() {
    Span service = Tracer.start("langchain4j.ai_service", SpanKind.AGENT, null, null);
    Span framework = Tracer.start("langchain4j.chat", SpanKind.LLM, null, null);
    Span sdk = Tracer.start("openai.chat.completions.create", SpanKind.LLM, null, null);
    Tracer.end(sdk, null, null);
    Tracer.end(framework, null, null);
    Tracer.end(service, null, null);
    framework.setUsage(new Usage(150L, 46L, 196L, null, null));
    sdk.setUsage(new Usage(150L, 46L, 196L, 10L, null));

    assertEquals(List.of(sdk), CountedUsage.countedSpans(service));
    assertTrue(CountedUsage.counts(sdk));
    assertFalse(CountedUsage.counts(framework));
    Usage total = CountedUsage.total(service);
    assertEquals(196L, total.totalTokens());
    assertEquals(10L, total.cachedInputTokens());
    assertNull(total.reasoningTokens());
  }

  @Test
  void anOuterLayerCountsWhenTheLayerBelowSawNoUsageAndSiblingsAddUp() {
    Span service = Tracer.start("service", SpanKind.AGENT, null, null);
    Span first = Tracer.start("langchain4j.chat", SpanKind.LLM, null, null);
    Span firstSdk = Tracer.start("openai.chat.completions.create", SpanKind.LLM, null, null);
    Tracer.end(firstSdk, null, null);
    Tracer.end(first, null, null);
    Span second = Tracer.start("langchain4j.chat", SpanKind.LLM, null, null);
    Tracer.end(second, null, null);
    Tracer.end(service, null, null);
    service.setUsage(new Usage(30L, 12L, null, null, null));
    first.setUsage(new Usage(10L, 4L, null, null, null));
    second.setUsage(new Usage(20L, 8L, null, null, null));

    assertEquals(List.of(first, second), CountedUsage.countedSpans(service));
    assertEquals(42L, CountedUsage.total(service).totalTokens());
    assertFalse(CountedUsage.counts(service));
  }

  @Test
  void noUsageAnywhereHasNoTotal() {
    Span root = Tracer.start("tool", SpanKind.TOOL, null, null);
    Tracer.end(root, null, null);
    assertTrue(CountedUsage.countedSpans(root).isEmpty());
    assertNull(CountedUsage.total(root));
  }
}
