package ai.wandb.agent.instrumentation.googlegenai;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunks of one stream by reference, folded on the exporter thread ({@link StreamFold}). Bounded: past
 * {@link #MAX} chunks only the count and the last chunk (finish reason, usage) are kept.
 */
final class ChunkList {
  static final int MAX = 2048;

  private final List<Object> chunks = new ArrayList<Object>();
  private Object last;
  private Object previous;
  private int dropped;

  /**
   * Keeps a chunk read from the stream. The iterator's {@code next()} is woven together with its bridge
   * method ({@code Object next()}, which calls it), so each chunk arrives twice, as the same object.
   */
  synchronized void add(Object chunk) {
    if (chunk == previous) {
      return;
    }
    previous = chunk;
    if (chunks.size() < MAX) {
      chunks.add(chunk);
      return;
    }
    if (last != null) {
      dropped++;
    }
    last = chunk;
  }

  /** The kept chunks in order, the last one read appended when later ones were dropped. */
  synchronized List<Object> snapshot() {
    List<Object> out = new ArrayList<Object>(chunks);
    if (last != null) {
      out.add(last);
    }
    return out;
  }

  synchronized int dropped() {
    return dropped;
  }
}
