package ai.wandb.agent.export.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.Usage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricingTest {
  @TempDir
  Path dir;

  @AfterEach
  void reset() {
    Tracer.restore(null);
    Pricing.configure(null);
    AgentLog.setOutput(null);
  }

  private static Span llm(String name, String model, Usage usage) {
    Span span = Tracer.start(name, SpanKind.LLM, null, null);
    Tracer.end(span, null, null);
    if (model != null) {
      span.attributes().put("gen_ai.response.model", model);
    }
    span.setUsage(usage);
    return span;
  }

  @Test
  void theBuiltInTableSaysWhenAndWhereItWasTakenAndPricesDatedModelNames() {
    Pricing pricing = Pricing.get();
    assertNotNull(pricing.taken());
    assertTrue(pricing.source().contains("litellm"), pricing.source());
    // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per million tokens.
    Span span = llm("openai.chat.completions.create", "gpt-4o-mini-2024-07-18",
        new Usage(1_000_000L, 1_000_000L, null, 400_000L, null));
    assertEquals(0.6 * 0.15 + 0.4 * 0.075 + 0.60, pricing.spanCost(span), 1e-12);
    assertNotNull(pricing.price("claude-sonnet-4-5-20250929"), "an Anthropic date suffix is stripped");
    assertNotNull(pricing.price("models/gemini-2.5-flash-lite"), "a provider prefix is stripped");
  }

  @Test
  void anEmbeddingCallIsPricedFromItsInputTokensAlone() {
    // text-embedding-3-small: $0.02 per million input tokens; its entry has output 0.
    Span span = Tracer.start("openai.embeddings.create", SpanKind.EMBEDDING, null, null);
    Tracer.end(span, null, null);
    span.attributes().put("gen_ai.response.model", "text-embedding-3-small");
    span.setUsage(new Usage(500_000L, null, 500_000L, null, null));
    assertEquals(0.01, Pricing.get().spanCost(span), 1e-12);
    assertNotNull(Pricing.get().price("gemini-embedding-001"));
  }

  @Test
  void datedSnapshotsArePricedAndADateSuffixNeverLandsOnAnotherModel() {
    Pricing pricing = Pricing.get();
    // gpt-5-mini-2025-08-07: $0.25 input, $0.025 cached input, $2.00 output per million tokens.
    Span span = llm("openai.responses.create", "gpt-5-mini-2025-08-07",
        new Usage(1_000_000L, 1_000_000L, null, 200_000L, null));
    assertEquals(0.8 * 0.25 + 0.2 * 0.025 + 2.00, pricing.spanCost(span), 1e-12);
    assertNotNull(pricing.price("o4-mini-2025-04-16"));
    assertNotNull(pricing.price("claude-3-5-haiku-20241022"));
    assertNull(pricing.price("o3-pro-2025-06-10"), "o3-pro is not o3");
    assertNull(pricing.price("gpt-5-pro-2025-10-06"), "gpt-5-pro is not gpt-5");
  }

  @Test
  void promptCacheWritesAndReadsEachCostTheirOwnPrice() {
    // claude-sonnet-4-5: $3.00 input, $0.30 cache reads, $3.75 cache writes, $15.00 output per million.
    // Input counts the cache's tokens: 1M plain + 2M read + 4M written = 7M.
    Span span = llm("anthropic.messages.create", "claude-sonnet-4-5-20250929",
        new Usage(7_000_000L, 1_000_000L, null, 2_000_000L, null, 4_000_000L));
    assertEquals(3.00 + 2 * 0.30 + 4 * 3.75 + 15.00, Pricing.get().spanCost(span), 1e-9);
  }

  @Test
  void anUnknownModelHasNoCostNeverAGuess() {
    Span span = llm("openai.chat.completions.create", "my-finetune-7b", new Usage(10L, 5L, null, null, null));
    assertNull(Pricing.get().spanCost(span));
    Pricing.annotate(span);
    assertNull(span.attributes().get(Pricing.COST_ATTRIBUTE));
    Pricing.TraceCost cost = Pricing.traceCost(span);
    assertNull(cost.usd);
    assertEquals(List.of("my-finetune-7b"), cost.unpricedModels);
  }

  @Test
  void aTraceCountsALayeredCallOnceAtTheInnermostSpan() {
    Span service = Tracer.start("langchain4j.ai_service", SpanKind.AGENT, null, null);
    Span framework = Tracer.start("langchain4j.chat", SpanKind.LLM, null, null);
    Span sdk = Tracer.start("openai.chat.completions.create", SpanKind.LLM, null, null);
    Tracer.end(sdk, null, null);
    Tracer.end(framework, null, null);
    Span second = Tracer.start("openai.chat.completions.create", SpanKind.LLM, null, null);
    Tracer.end(second, null, null);
    Tracer.end(service, null, null);
    framework.attributes().put("gen_ai.request.model", "gpt-4o-mini");
    framework.setUsage(new Usage(1000L, 100L, null, null, null));
    sdk.attributes().put("gen_ai.response.model", "gpt-4o-mini-2024-07-18");
    sdk.setUsage(new Usage(1000L, 100L, null, null, null));
    second.attributes().put("gen_ai.response.model", "unknown-model");
    second.setUsage(new Usage(5L, 5L, null, null, null));
    for (Span span : List.of(service, framework, sdk, second)) {
      Pricing.annotate(span);
    }

    double oneCall = (1000 * 0.15 + 100 * 0.60) / 1e6;
    assertEquals(oneCall, (Double) framework.attributes().get(Pricing.COST_ATTRIBUTE), 1e-15,
        "each layer keeps the cost of what it saw");
    assertEquals(oneCall, (Double) sdk.attributes().get(Pricing.COST_ATTRIBUTE), 1e-15);
    Pricing.TraceCost cost = Pricing.traceCost(service);
    assertEquals(oneCall, cost.usd, 1e-15);
    assertEquals(List.of("unknown-model"), cost.unpricedModels);
  }

  @Test
  void thePricingFileReplacesAndAddsModelsAndABadEntryIsOneWarning() throws Exception {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, "{\"taken\": \"2026-11-30\", \"models\": {"
        + "\"gpt-4o-mini\": {\"input\": 1, \"output\": 2},"
        + "\"in-house-llm\": {\"input\": 0.5, \"cached_input\": 0.25, \"output\": 1.5},"
        + "\"broken\": {\"input\": \"cheap\"}}}");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AgentLog.setOutput(new PrintStream(err, true, StandardCharsets.UTF_8));
    Pricing.configure(file.toString());

    Pricing pricing = Pricing.get();
    assertEquals("2026-11-30", pricing.taken());
    Usage million = new Usage(1_000_000L, 1_000_000L, null, 1_000_000L, null);
    assertEquals(3.0, pricing.spanCost(llm("x", "gpt-4o-mini", million)), 1e-12,
        "without a cached price, cached tokens cost the input price");
    assertEquals(1.75, pricing.spanCost(llm("x", "in-house-llm", million)), 1e-12);
    assertNotNull(pricing.price("claude-haiku-4-5"), "the built-in entries stay");
    assertNull(pricing.price("broken"));
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, said.lines().count(), said);
    assertTrue(said.contains("[broken]"), said);
  }

  @Test
  void anUnreadablePricingFileIsOneWarningAndTheBuiltInPricesStay() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AgentLog.setOutput(new PrintStream(err, true, StandardCharsets.UTF_8));
    Pricing.configure(dir.resolve("missing.json").toString());

    assertNotNull(Pricing.get().price("gpt-4o"));
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.startsWith("[wandb-agent] WARNING: wandb.pricing_file"), said);
    assertEquals(1, said.lines().count(), said);
  }
}
