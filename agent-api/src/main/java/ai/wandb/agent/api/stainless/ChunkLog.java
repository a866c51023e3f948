package ai.wandb.agent.api.stainless;

import java.util.ArrayList;
import java.util.List;

/**
 * The messages (SSE chunks or events) of one stream, by reference, for the exporter thread to fold into
 * one result ({@link StainlessWireJson#sseMessage}). Adding is all the app thread does per message: no
 * JSON, no reflection. Folding incrementally on the app thread would cost a parse per message; keeping
 * references and reading their data later costs one list slot each. The list is bounded: past
 * {@link #MAX} messages (thousands of tokens) only the count and the last {@link #TAIL} messages (finish
 * reason, usage, final event: Anthropic's usage comes in the event before its last) are kept, and the
 * span says its output was cut.
 */
public final class ChunkLog {
  public static final int MAX = 2048;
  static final int TAIL = 2;

  private final List<Object> chunks = new ArrayList<Object>();
  private final java.util.ArrayDeque<Object> tail = new java.util.ArrayDeque<Object>();
  private int dropped;

  synchronized void add(Object chunk) {
    if (chunks.size() < MAX) {
      chunks.add(chunk);
    } else {
      if (tail.size() == TAIL) {
        tail.removeFirst();
        dropped++;
      }
      tail.addLast(chunk);
    }
  }

  /** Every kept message in order, with the last ones read appended when others were dropped. */
  public synchronized List<Object> snapshot() {
    List<Object> out = new ArrayList<Object>(chunks);
    out.addAll(tail);
    return out;
  }

  /** Messages read but not kept. */
  public synchronized int dropped() {
    return dropped;
  }
}
