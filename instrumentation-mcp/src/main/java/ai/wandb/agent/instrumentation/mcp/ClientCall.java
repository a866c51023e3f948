package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One {@code callTool}/{@code readResource}/{@code getPrompt} of an {@code McpAsyncClient} (which the sync
 * client runs on): the span starts when the returned {@code Mono} is subscribed, under the span current on
 * the subscribing thread, and ends when it succeeds, fails or is cancelled, on whichever thread that is. It
 * is never left current: the client's work after subscription runs on the transport's threads.
 */
final class ClientCall implements MonoObserver {
  final Object client;
  final McpOperation operation;
  final Object request;
  private final AtomicReference<Span> open = new AtomicReference<Span>();

  ClientCall(Object client, McpOperation operation, Object request) {
    this.client = client;
    this.operation = operation;
    this.request = request;
  }

  @Override
  public void subscribed() {
    Span span = Tracer.start(operation.spanName(request), operation.kind, this, McpRenderer.CLIENT);
    Tracer.exit(span);
    Span previous = open.getAndSet(span);
    if (previous != null) {
      // The same Mono subscribed again before the first subscription ended: that one is not followed further.
      end(previous, null, null, "the call's Mono was subscribed again before this subscription ended");
    }
    TraceContext.register(request, span);
  }

  @Override
  public void succeeded(Object result) {
    Span span = open.getAndSet(null);
    if (span != null) {
      end(span, result, ToolError.of(result), null);
    }
  }

  @Override
  public void failed(Throwable error) {
    Span span = open.getAndSet(null);
    if (span != null) {
      end(span, null, error, null);
    }
  }

  @Override
  public void cancelled() {
    Span span = open.getAndSet(null);
    if (span != null) {
      end(span, null, null, "cancelled by its subscriber before the server answered");
    }
  }

  private void end(Span span, Object result, Throwable error, String unfinished) {
    TraceContext.unregister(request, span);
    if (unfinished != null) {
      Tracer.endUnfinished(span, unfinished);
    } else {
      Tracer.end(span, result, error);
    }
  }
}
