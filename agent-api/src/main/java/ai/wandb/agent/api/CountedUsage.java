package ai.wandb.agent.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Each model call counted once (DESIGN §3 rule 7). Where two layers trace one call (LangChain4j or
 * Spring AI over an SDK), both spans keep the usage their layer saw, but every total counts only the
 * spans with no usage-carrying span below them: the innermost layer is the one closest to the wire,
 * and an outer layer's usage is either the same call seen again or a sum over calls already counted.
 */
public final class CountedUsage {
  private CountedUsage() {}

  /** The spans of the tree whose usage counts toward totals, in depth-first order. */
  public static List<Span> countedSpans(Span root) {
    if (root == null) {
      return Collections.emptyList();
    }
    List<Span> out = new ArrayList<Span>();
    collect(root, out);
    return out;
  }

  /** True when this span's usage counts toward totals: it has usage and nothing below it does. */
  public static boolean counts(Span span) {
    return span.usage() != null && !usageBelow(span);
  }

  /** The sum of the counted spans' usage, field by field; {@code null} when no span has usage. */
  public static Usage total(Span root) {
    List<Span> counted = countedSpans(root);
    if (counted.isEmpty()) {
      return null;
    }
    Long in = null;
    Long out = null;
    Long total = null;
    Long cached = null;
    Long reasoning = null;
    Long cacheCreation = null;
    for (Span span : counted) {
      Usage u = span.usage();
      in = add(in, u.inputTokens());
      out = add(out, u.outputTokens());
      total = add(total, u.totalTokens());
      cached = add(cached, u.cachedInputTokens());
      reasoning = add(reasoning, u.reasoningTokens());
      cacheCreation = add(cacheCreation, u.cacheCreationInputTokens());
    }
    return new Usage(in, out, total, cached, reasoning, cacheCreation);
  }

  /** Returns whether the subtree under {@code span} (itself included) has usage. */
  private static boolean collect(Span span, List<Span> out) {
    int before = out.size();
    boolean below = false;
    for (Span child : span.children()) {
      below |= collect(child, out);
    }
    if (span.usage() != null && !below) {
      out.add(before, span);
      return true;
    }
    return below;
  }

  private static boolean usageBelow(Span span) {
    for (Span child : span.children()) {
      if (child.usage() != null || usageBelow(child)) {
        return true;
      }
    }
    return false;
  }

  private static Long add(Long sum, Long value) {
    if (value == null) {
      return sum;
    }
    return sum == null ? value : Long.valueOf(sum + value);
  }
}
