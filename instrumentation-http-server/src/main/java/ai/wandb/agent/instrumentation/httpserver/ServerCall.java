package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;

/**
 * What a request's span keeps: read on the app's threads while the request is live, because servers
 * recycle their request and response objects once a request is done.
 */
abstract class ServerCall {
  final String method;
  final String path;
  final String traceparent;
  Span span;
  volatile int status;
  volatile String route;

  ServerCall(String method, String path, String traceparent) {
    this.method = method;
    this.path = path;
    this.traceparent = traceparent;
  }

  /** Starts the request's latent root, current on this thread. */
  final void start() {
    span = Tracer.startLatent(method + " " + path, SpanKind.CHAIN, this,
        ServerCallRenderer.INSTANCE, traceparent);
  }

  /**
   * Reads the status the client got and the route matched, at the request's end and only for a request
   * that did GenAI work: the others are dropped unread.
   */
  abstract void finish();
}
