package ai.wandb.agent.api.stainless;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunks (or events) of one stream, by reference, for the exporter thread to fold into one result.
 * Adding is all the app thread does per chunk: no JSON, no reflection beyond the request's one
 * {@link StainlessRequest#hidesChunk} check. Folding SDK objects incrementally on the app thread would
 * cost a reflective walk per chunk and tie the agent to each SDK version's Java API; keeping references
 * and reading them as wire JSON later costs one list slot each. The list is bounded: past {@link #MAX}
 * chunks (thousands of tokens) only the count and the last {@link #TAIL} chunks (finish reason, usage,
 * final event: Anthropic's usage comes in the event before its last) are kept, and the span says its
 * output was cut.
 */
public final class ChunkLog {
  public static final int MAX = 2048;
  static final int TAIL = 2;

  private final StainlessRequest request;
  private final List<Object> chunks = new ArrayList<Object>();
  private final java.util.ArrayDeque<Object> tail = new java.util.ArrayDeque<Object>();
  private int dropped;

  ChunkLog(StainlessRequest request) {
    this.request = request;
  }

  /** Returns whether the app should see this chunk. */
  boolean add(Object chunk) {
    boolean forApp = !request.hidesChunk(chunk);
    keep(chunk);
    return forApp;
  }

  private synchronized void keep(Object chunk) {
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

  /** Every kept chunk in order, with the last ones read appended when others were dropped. */
  public synchronized List<Object> snapshot() {
    List<Object> out = new ArrayList<Object>(chunks);
    out.addAll(tail);
    return out;
  }

  /** Chunks read but not kept. */
  public synchronized int dropped() {
    return dropped;
  }
}
