package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.AbandonedSpans;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;

/**
 * One traced call after its raw method returned: ends the span exactly once, whichever comes first
 * (parse, close, end of stream, failure) and, through {@link AbandonedSpans}, when the app dropped the
 * response or stream without finishing it. Everything the app keeps (response and stream wrappers,
 * stream iterators) references this object, and nothing the span holds does, so it becomes unreachable
 * exactly when the app lets go.
 */
final class CallState {
  static final String ABANDONED = "stream was abandoned without being read to the end or closed";
  static final String UNPARSED = "response was dropped without being parsed or closed";

  final Span span;
  final OpenAiRequest request;
  private final AbandonedSpans.Watch watch;
  private ChunkLog chunks;
  private Object tracedStream;

  private CallState(Span span) {
    this.span = span;
    this.request = (OpenAiRequest) span.request();
    this.watch = AbandonedSpans.watch(this, span, request.operation.streaming ? ABANDONED : UNPARSED);
  }

  static CallState of(Span span) {
    return new CallState(span);
  }

  /** The app's view of an {@code HttpResponseFor}: the same object, watched; unwatchable ones end the span now. */
  Object traced(Object httpResponse) {
    Object traced = SdkProxies.httpResponse(this, httpResponse);
    if (traced == httpResponse) {
      succeeded(null);
    }
    return traced;
  }

  boolean streaming() {
    return request.operation.streaming;
  }

  /** The app's view of the parsed {@code StreamResponse}; the same wrapper however often parse() is called. */
  synchronized Object tracedStream(Object streamResponse) {
    if (tracedStream == null) {
      chunks = new ChunkLog(request.usageAdded);
      span.setResponse(chunks);
      tracedStream = SdkProxies.streamResponse(this, streamResponse);
      if (tracedStream == streamResponse) {
        succeeded(null);
      }
    }
    return tracedStream;
  }

  /** One element read from the stream; false for the usage-only chunk the agent itself asked for. */
  boolean onChunk(Object chunk) {
    if (span.isEnded()) {
      return true;
    }
    span.markFirstToken();
    return chunks.add(chunk);
  }

  void succeeded(Object response) {
    watch.cancel();
    Tracer.end(span, response, null);
  }

  void failed(Throwable error) {
    watch.cancel();
    Tracer.end(span, null, error);
  }
}
