package ai.wandb.agent.export.cost;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.CountedUsage;
import ai.wandb.agent.api.InputStreams;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a model call cost, from its usage and a price table: the one shipped in the jar
 * ({@code pricing.json}, with the date it was taken and its source), with the entries of
 * {@code wandb.pricing_file} on top. A model the table does not name has no cost, never a guess.
 */
public final class Pricing {
  static final String RESOURCE = "/ai/wandb/agent/pricing.json";
  /** The span attribute that carries a priced call's cost. */
  public static final String COST_ATTRIBUTE = "wandb.cost_usd";
  private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");

  private static volatile String overrideFile;
  private static volatile Pricing instance;

  private final Map<String, Price> prices;
  private final String taken;
  private final String source;

  Pricing(Map<String, Price> prices, String taken, String source) {
    this.prices = prices;
    this.taken = taken;
    this.source = source;
  }

  /** Names the user's price file ({@code wandb.pricing_file}), read with the first trace. */
  public static void configure(String pricingFile) {
    overrideFile = pricingFile;
    instance = null;
  }

  /** The table in use, read on first use (on the exporter thread, never in premain). */
  public static Pricing get() {
    Pricing current = instance;
    if (current == null) {
      current = load(overrideFile);
      instance = current;
    }
    return current;
  }

  static Pricing load(String file) {
    Map<String, Price> prices = new LinkedHashMap<String, Price>();
    String taken = null;
    String source = null;
    try {
      InputStream in = Pricing.class.getResourceAsStream(RESOURCE);
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the agent jar");
      }
      Map<String, Object> table = Json.parseObject(new String(InputStreams.readAll(in), StandardCharsets.UTF_8));
      readModels(table, prices, "the built-in price table");
      taken = (String) table.get("taken");
      source = (String) table.get("source");
    } catch (IOException | RuntimeException e) {
      AgentLog.warn("the built-in price table cannot be read (" + e + "); costs are left out");
    }
    if (file != null) {
      try {
        Map<String, Object> table = Json.parseObject(
            new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8));
        readModels(table, prices, "wandb.pricing_file " + file);
        Object fileTaken = table.get("taken");
        taken = fileTaken instanceof String ? (String) fileTaken : taken;
        source = file;
      } catch (IOException | RuntimeException e) {
        AgentLog.warn("wandb.pricing_file " + file + " cannot be read (" + e + "); expected {\"models\": {\"<model>\":"
            + " {\"input\": <USD per 1M tokens>, \"cached_input\": ..., \"output\": ...}}}; the built-in prices are used");
      }
    }
    return new Pricing(prices, taken, source);
  }

  private static void readModels(Map<String, Object> table, Map<String, Price> into, String where) {
    Object models = table.get("models");
    if (!(models instanceof Map)) {
      throw new IllegalArgumentException("no \"models\" object");
    }
    List<String> bad = new ArrayList<String>();
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) models).entrySet()) {
      Price price = Price.of(entry.getValue());
      if (price == null) {
        bad.add(String.valueOf(entry.getKey()));
      } else {
        into.put(String.valueOf(entry.getKey()).toLowerCase(Locale.ROOT), price);
      }
    }
    if (!bad.isEmpty()) {
      AgentLog.warn(where + ": no usable \"input\" and \"output\" prices (numbers >= 0) for " + bad
          + "; those models have no cost");
    }
  }

  public String taken() {
    return taken;
  }

  public String source() {
    return source;
  }

  /** The price of a model as the span names it, or null: exact name, then without a provider prefix or a date suffix. */
  public Price price(String model) {
    if (model == null) {
      return null;
    }
    String name = model.trim().toLowerCase(Locale.ROOT);
    Price price = prices.get(name);
    if (price == null && name.lastIndexOf('/') >= 0) {
      name = name.substring(name.lastIndexOf('/') + 1);
      price = prices.get(name);
    }
    if (price == null) {
      price = prices.get(DATE_SUFFIX.matcher(name).replaceFirst(""));
    }
    return price;
  }

  /** The model a span called: the served model first, then the requested one. */
  public static String model(Span span) {
    Map<String, Object> attributes = span.attributes();
    for (String key : new String[] {"gen_ai.response.model", "gen_ai.request.model"}) {
      Object value = attributes.get(key);
      if (value instanceof String && !((String) value).isEmpty()) {
        return (String) value;
      }
    }
    return null;
  }

  /** The cost of this span's own usage, or null when it has none or its model has no price. */
  public Double spanCost(Span span) {
    Usage usage = span.usage();
    if (usage == null || (usage.inputTokens() == null && usage.outputTokens() == null)) {
      return null;
    }
    Price price = price(model(span));
    return price == null ? null : price.cost(usage);
  }

  /** Puts {@link #COST_ATTRIBUTE} on a priced span; called once per span as the trace is rendered. */
  public static void annotate(Span span) {
    Double cost = get().spanCost(span);
    if (cost != null) {
      span.attributes().put(COST_ATTRIBUTE, cost);
    }
  }

  /** The trace's cost, each model call once (the spans {@link CountedUsage} counts). */
  public static TraceCost traceCost(Span root) {
    Pricing pricing = get();
    double usd = 0;
    boolean priced = false;
    Set<String> unpriced = new LinkedHashSet<String>();
    for (Span span : CountedUsage.countedSpans(root)) {
      Double cost = pricing.spanCost(span);
      if (cost != null) {
        usd += cost;
        priced = true;
      } else {
        String model = model(span);
        unpriced.add(model == null ? "(no model)" : model);
      }
    }
    return new TraceCost(priced ? Double.valueOf(usd) : null, new ArrayList<String>(unpriced));
  }

  /** Input, cached input, cache-write input and output prices in USD per million tokens. */
  public static final class Price {
    final double input;
    final Double cachedInput;
    final Double cacheWriteInput;
    final double output;

    Price(double input, Double cachedInput, Double cacheWriteInput, double output) {
      this.input = input;
      this.cachedInput = cachedInput;
      this.cacheWriteInput = cacheWriteInput;
      this.output = output;
    }

    static Price of(Object entry) {
      if (!(entry instanceof Map)) {
        return null;
      }
      Map<?, ?> map = (Map<?, ?>) entry;
      Double input = nonNegative(map.get("input"));
      Double output = nonNegative(map.get("output"));
      Double cached = nonNegative(map.get("cached_input"));
      Double cacheWrite = nonNegative(map.get("cache_write_input"));
      if (input == null || output == null || (map.get("cached_input") != null && cached == null)
          || (map.get("cache_write_input") != null && cacheWrite == null)) {
        return null;
      }
      return new Price(input, cached, cacheWrite, output);
    }

    private static Double nonNegative(Object value) {
      return value instanceof Number && ((Number) value).doubleValue() >= 0 ? ((Number) value).doubleValue() : null;
    }

    /**
     * Cached input tokens (cache reads) and tokens written to a prompt cache (Anthropic's
     * {@code cache_creation_input_tokens}) are part of the input tokens, as the spans count them; each
     * costs its own price where the table has one, else the input price.
     */
    double cost(Usage usage) {
      long in = usage.inputTokens() == null ? 0 : usage.inputTokens();
      long cached = usage.cachedInputTokens() == null ? 0 : Math.min(in, usage.cachedInputTokens());
      long written = usage.cacheCreationInputTokens() == null ? 0
          : Math.min(in - cached, usage.cacheCreationInputTokens());
      long out = usage.outputTokens() == null ? 0 : usage.outputTokens();
      double cachedPrice = cachedInput != null ? cachedInput : input;
      double writePrice = cacheWriteInput != null ? cacheWriteInput : input;
      return ((in - cached - written) * input + cached * cachedPrice + written * writePrice + out * output) / 1e6;
    }
  }

  /** A trace's cost: {@code usd} null when no counted call has a price; the models without one. */
  public static final class TraceCost {
    public final Double usd;
    public final List<String> unpricedModels;

    TraceCost(Double usd, List<String> unpricedModels) {
      this.usd = usd;
      this.unpricedModels = Collections.unmodifiableList(unpricedModels);
    }
  }
}
