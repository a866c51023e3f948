package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.AbandonedSpans;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The spans following one SDK {@code ResponseStream}: the model call's and, for a chat's stream (the same
 * object), the chat's. Each ends exactly once, when the stream is read to the end, closed, fails, or is
 * dropped unread and collected ({@link AbandonedSpans}). The map holds streams weakly and nothing a span
 * holds references its stream, so a stream is forgotten when the app lets go of it.
 */
final class StreamCalls {
  static final String ABANDONED = "stream was abandoned without being read to the end or closed";

  private static final Map<Object, StreamCalls> STREAMS =
      Collections.synchronizedMap(new WeakHashMap<Object, StreamCalls>());

  private final List<Follower> followers = new ArrayList<Follower>(2);

  private StreamCalls() {}

  /** {@code span}'s call returned {@code stream}: its chunks are the span's response from now on. */
  static void follow(Object stream, Span span) {
    StreamCalls calls;
    synchronized (STREAMS) {
      calls = STREAMS.get(stream);
      if (calls == null) {
        calls = new StreamCalls();
        STREAMS.put(stream, calls);
      }
    }
    ChunkList chunks = new ChunkList();
    span.setResponse(chunks);
    calls.add(new Follower(span, chunks, AbandonedSpans.watch(stream, span, ABANDONED)));
  }

  /** The stream's iterator handed the app a chunk. */
  static void chunk(Object stream, Object chunk) {
    for (Follower follower : followersOf(stream)) {
      follower.span.markFirstToken();
      follower.chunks.add(chunk);
    }
  }

  /** The stream ended: read to the end or closed ({@code error} null), or its reading failed. */
  static void ended(Object stream, Throwable error) {
    StreamCalls calls = stream == null ? null : STREAMS.remove(stream);
    if (calls == null) {
      return;
    }
    for (Follower follower : calls.snapshot()) {
      follower.watch.cancel();
      Tracer.end(follower.span, null, error);
    }
  }

  private static List<Follower> followersOf(Object stream) {
    StreamCalls calls = stream == null ? null : STREAMS.get(stream);
    return calls == null ? Collections.<Follower>emptyList() : calls.snapshot();
  }

  private synchronized void add(Follower follower) {
    followers.add(follower);
  }

  private synchronized List<Follower> snapshot() {
    return new ArrayList<Follower>(followers);
  }

  private static final class Follower {
    final Span span;
    final ChunkList chunks;
    final AbandonedSpans.Watch watch;

    Follower(Span span, ChunkList chunks, AbandonedSpans.Watch watch) {
      this.span = span;
      this.chunks = chunks;
      this.watch = watch;
    }
  }
}
