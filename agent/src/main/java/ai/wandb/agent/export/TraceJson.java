package ai.wandb.agent.export;

import ai.wandb.agent.api.CountedUsage;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.api.Usage;
import ai.wandb.agent.export.cost.Pricing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The local line format: a rendered span tree as the DESIGN §4 fields, children nested. */
public final class TraceJson {
  private static final Comparator<Span> BY_START = new Comparator<Span>() {
    @Override
    public int compare(Span a, Span b) {
      return Long.compare(a.startEpochNanos(), b.startEpochNanos());
    }
  };

  private TraceJson() {}

  /**
   * One JSONL line: the root's tree plus {@code totals}, where usage and cost count each model call
   * once ({@link CountedUsage}), so a tool summing {@code totals} never counts a layered call twice.
   */
  public static Map<String, Object> line(Span root) {
    Map<String, Object> out = tree(root);
    Map<String, Object> totals = new LinkedHashMap<String, Object>();
    List<Span> spans = flatten(root);
    int errors = 0;
    for (Span span : spans) {
      errors += span.status() == SpanStatus.OK ? 0 : 1;
    }
    totals.put("spans", spans.size());
    totals.put("errors", errors);
    Usage usage = CountedUsage.total(root);
    totals.put("usage", usage == null ? null : usage.toJson());
    Pricing.TraceCost cost = Pricing.traceCost(root);
    totals.put("cost_usd", cost.usd);
    totals.put("unpriced_models", cost.unpricedModels);
    out.put("totals", totals);
    return out;
  }

  public static Map<String, Object> tree(Span span) {
    Map<String, Object> out = fields(span);
    List<Object> children = new ArrayList<Object>();
    for (Span child : sortedChildren(span)) {
      children.add(tree(child));
    }
    out.put("children", children);
    return out;
  }

  /** The span's own fields, without children. */
  public static Map<String, Object> fields(Span span) {
    // Room for the fields and children without a resize: at the default 16 the table grew at the 13th.
    Map<String, Object> out = new LinkedHashMap<String, Object>(32);
    out.put("trace_id", span.traceId());
    out.put("span_id", span.spanId());
    out.put("parent_id", span.parentId());
    out.put("name", span.name());
    out.put("kind", span.kind().name());
    out.put("start_time_unix_nano", span.startEpochNanos());
    out.put("end_time_unix_nano", span.endEpochNanos());
    out.put("duration_ms", span.durationNanos() / 1e6);
    out.put("status", span.status().name());
    out.put("error", span.errorJson());
    out.put("inputs", span.inputs());
    out.put("outputs", span.outputs());
    out.put("attributes", span.attributes());
    out.put("usage", span.usage() == null ? null : span.usage().toJson());
    out.put("cost_usd", span.attributes().get(Pricing.COST_ATTRIBUTE));
    return out;
  }

  public static List<Span> sortedChildren(Span span) {
    List<Span> children = span.children();
    Collections.sort(children, BY_START);
    return children;
  }

  /** Every span of the tree, parents before children, siblings by start. */
  public static List<Span> flatten(Span root) {
    List<Span> out = new ArrayList<Span>();
    addAll(root, out);
    return out;
  }

  private static void addAll(Span span, List<Span> out) {
    out.add(span);
    for (Span child : sortedChildren(span)) {
      addAll(child, out);
    }
  }
}
