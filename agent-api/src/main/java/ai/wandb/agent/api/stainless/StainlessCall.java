package ai.wandb.agent.api.stainless;

import ai.wandb.agent.api.AbandonedSpans;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One traced call after its raw method returned: ends the span exactly once, whichever comes first
 * (parse, close, end of stream, failure) and, through {@link AbandonedSpans}, when the app dropped the
 * response or stream without finishing it. The app keeps the SDK's own objects; the woven methods of
 * those objects ({@link StainlessObjectsInstrumentation}) find their call here by identity. The map holds
 * them weakly and nothing the span holds references them, so a call is forgotten when the app lets go.
 */
public final class StainlessCall {
  static final String ABANDONED = "stream was abandoned without being read to the end or closed";
  static final String UNPARSED = "response was dropped without being parsed or closed";

  /** SDK object (raw response, stream response, the stream's sequence) to the call it belongs to. */
  private static final Map<Object, StainlessCall> CALLS = Collections.synchronizedMap(new WeakHashMap<Object, StainlessCall>());
  /** The streaming call whose {@code parse()} runs on this thread: its sequence is created inside it. */
  private static final ThreadLocal<StainlessCall> PARSING = new ThreadLocal<StainlessCall>();
  private static final Object NOT_STREAMING = new Object();

  final Span span;
  private final StainlessSdk sdk;
  private final StainlessRequest request;
  private AbandonedSpans.Watch watch;
  private ChunkLog chunks;

  private StainlessCall(Span span, StainlessSdk sdk) {
    this.span = span;
    this.sdk = sdk;
    this.request = (StainlessRequest) span.request();
  }

  /** A call of {@code sdk} whose span's request is a {@link StainlessRequest}. */
  static StainlessCall of(Span span, StainlessSdk sdk) {
    return new StainlessCall(span, sdk);
  }

  /** The call an SDK object belongs to, or null for objects of calls the agent does not trace. */
  static StainlessCall of(Object sdkObject) {
    return sdkObject == null ? null : CALLS.get(sdkObject);
  }

  boolean streaming() {
    return request.streaming();
  }

  Span parent() {
    return span.parent();
  }

  /**
   * The {@code HttpResponseFor} the call gave back: watched until it is parsed or closed. One of a
   * class the module does not weave (not the SDK's) cannot be followed, so the span ends now.
   */
  void responded(Object httpResponse) {
    if (!httpResponse.getClass().getName().equals(sdk.httpResponseFor())) {
      succeeded(null);
      return;
    }
    CALLS.put(httpResponse, this);
    watch(httpResponse, streaming() ? ABANDONED : UNPARSED);
  }

  /**
   * Marks this thread as parsing the call's stream, whose sequence is created inside parse(); returns
   * what to give {@link #parsed}. A plain call touches no thread-local.
   */
  Object parsing() {
    if (!streaming()) {
      return NOT_STREAMING;
    }
    StainlessCall previous = PARSING.get();
    PARSING.set(this);
    return previous;
  }

  /** {@code parse()} of {@code httpResponse} returned {@code value} or threw. */
  void parsed(Object httpResponse, Object previousParsing, Object value, Throwable thrown) {
    if (previousParsing == NOT_STREAMING) {
      // The call ends here: its entry goes now rather than at the next collection, so that the map
      // stays as small as the number of calls in flight and the app thread never sweeps stale entries.
      CALLS.remove(httpResponse);
    } else if (previousParsing == null) {
      PARSING.remove();
    } else {
      PARSING.set((StainlessCall) previousParsing);
    }
    if (thrown != null) {
      failed(thrown);
    } else if (!streaming()) {
      succeeded(value);
    } else {
      streamParsed(value);
    }
  }

  /** {@code close()} of a raw or stream response: the call ends with what was read. */
  static void closed(Object sdkObject) {
    StainlessCall state = sdkObject == null ? null : CALLS.remove(sdkObject);
    if (state != null) {
      state.succeeded(null);
    }
  }

  /** The parsed {@code StreamResponse} (the same however often parse() is called) starts the chunk log. */
  private synchronized void streamParsed(Object streamResponse) {
    if (chunks != null) {
      return;
    }
    if (streamResponse == null || !sdk.isStreamResponse(streamResponse.getClass().getName())) {
      // A stream shape this module does not know: the span cannot follow it, so it ends now.
      succeeded(null);
      return;
    }
    chunks = new ChunkLog(request);
    span.setResponse(chunks);
    CALLS.put(streamResponse, this);
  }

  /** The SDK built the stream's sequence while parsing: it lives as long as the app can read the stream. */
  static void sequenceCreated(Object sequence) {
    StainlessCall state = PARSING.get();
    if (state != null) {
      CALLS.put(sequence, state);
      state.watch(sequence, ABANDONED);
    }
  }

  private synchronized void watch(Object owner, String why) {
    if (span.isEnded()) {
      return;
    }
    if (watch != null) {
      watch.cancel();
    }
    watch = AbandonedSpans.watch(owner, span, why);
  }

  /**
   * The SDK's stream with one stage added that logs each chunk (and leaves out a chunk the agent alone
   * caused, {@link StainlessRequest#hidesChunk}). The stage runs after the SDK produced a chunk and
   * before the app's, so it is never on the stack while the SDK reads or fails. A filter keeps the
   * stream's characteristics: the SDK's streams come from iterators of unknown size.
   */
  Stream<Object> recording(Stream<Object> stream) {
    return stream.filter(new Recorder(this)).onClose(new Closer(this));
  }

  /** One element read from the stream; false for a chunk the app must not see. */
  boolean onChunk(Object chunk) {
    if (span.isEnded()) {
      return true;
    }
    span.markFirstToken();
    return chunks.add(chunk);
  }

  void succeeded(Object response) {
    cancelWatch();
    Tracer.end(span, response, null);
  }

  void failed(Throwable error) {
    cancelWatch();
    Tracer.end(span, null, error);
  }

  private synchronized void cancelWatch() {
    if (watch != null) {
      watch.cancel();
      watch = null;
    }
  }

  private static final class Recorder implements Predicate<Object> {
    private final StainlessCall state;

    Recorder(StainlessCall state) {
      this.state = state;
    }

    @Override
    public boolean test(Object chunk) {
      return state.onChunk(chunk);
    }
  }

  private static final class Closer implements Runnable {
    private final StainlessCall state;

    Closer(StainlessCall state) {
      this.state = state;
    }

    @Override
    public void run() {
      state.succeeded(null);
    }
  }
}
