package ai.wandb.agent.api.stainless;

import ai.wandb.agent.api.AbandonedSpans;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

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
  /**
   * The call whose stream this thread reads, while the stream's iterator runs (the SDK reads and decodes
   * SSE lines inside {@code hasNext()}/{@code next()}, and nothing of the app's runs there): what the
   * woven decoder asks for each line. Set only for calls that hide messages.
   */
  private static final ThreadLocal<StainlessCall> READING = new ThreadLocal<StainlessCall>();
  private static final Object NOT_STREAMING = new Object();

  final Span span;
  private final StainlessSdk sdk;
  private final StainlessRequest request;
  private final boolean hides;
  private AbandonedSpans.Watch watch;
  private ChunkLog chunks;
  /**
   * The SSE message being decoded is one to hide ({@link StainlessRequest#hides}). Only the thread that
   * reads the stream touches it, one line after the other.
   */
  private boolean hiding;

  private StainlessCall(Span span, StainlessSdk sdk) {
    this.span = span;
    this.sdk = sdk;
    this.request = (StainlessRequest) span.request();
    this.hides = request.hidesMessages();
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
    chunks = new ChunkLog();
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

  /** The stream's iterator starts a {@code hasNext()} or {@code next()}, inside which the SDK decodes lines. */
  void readingStarts() {
    if (hides) {
      READING.set(this);
    }
  }

  /** ... and returned or threw. */
  void readingEnds() {
    if (hides) {
      READING.remove();
    }
  }

  /** The call whose stream's SSE lines this thread decodes now, if it hides messages; else null. */
  static StainlessCall decodingNow() {
    return READING.get();
  }

  /** The SDK's decoder reads {@code line} of the current message. */
  void decodes(String line) {
    if (!hiding && request.hides(line)) {
      hiding = true;
    }
  }

  /**
   * The decoder returned {@code message} (null while a message is incomplete): what it returns instead.
   * A hidden message is logged here and becomes null, which the SDK's loop skips as it skips comments,
   * so the app's stream never holds it and no stage of the agent's sits between the SDK and the app.
   */
  Object decoded(Object message) {
    if (message == null || !hiding) {
      return message;
    }
    hiding = false;
    onChunk(message);
    return null;
  }

  /** A message the stream's iterator handed on (or the decoder hid): logged for the span. */
  void onChunk(Object message) {
    if (span.isEnded() || chunks == null) {
      return;
    }
    span.markFirstToken();
    chunks.add(message);
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
}
