package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request a server handles: {@code exchange} is the request's exchange (stateful servers) or transport
 * context (stateless ones), {@code request} the params as received. The span starts where the SDK dispatches
 * the request to the handler, continuing the client's trace when the params' {@code _meta} carries a
 * {@code traceparent} (see {@link Tracer#startContinuing}); it is current while the handler is applied (all
 * of an async handler's own code that runs then) and while a sync handler runs on the thread the SDK hands
 * it to; it ends when the handler's {@code Mono} does.
 */
final class ServerCall implements MonoObserver {
  /** Calls being handled, by exchange: where a sync handler runs, the exchange is what it shares with them. */
  private static final Map<Object, List<ServerCall>> HANDLING =
      Collections.synchronizedMap(new IdentityHashMap<Object, List<ServerCall>>());

  final McpOperation operation;
  final Object exchange;
  final Object request;
  private volatile Span span;

  private ServerCall(McpOperation operation, Object exchange, Object request) {
    this.operation = operation;
    this.exchange = exchange;
    this.request = request;
  }

  /** The dispatch began: the span starts and is current until {@link #dispatched}. */
  static ServerCall dispatching(McpOperation operation, Object exchange, Object params) {
    ServerCall call = new ServerCall(operation, exchange, params);
    call.span = Tracer.startContinuing(operation.spanName(params), operation.kind, call, McpRenderer.SERVER,
        TraceContext.received(params));
    if (exchange != null) {
      synchronized (HANDLING) {
        List<ServerCall> calls = HANDLING.get(exchange);
        if (calls == null) {
          calls = new ArrayList<ServerCall>(1);
          HANDLING.put(exchange, calls);
        }
        calls.add(call);
      }
    }
    return call;
  }

  /** The handler was applied: returns the Mono that ends the span, or null when the span ended here. */
  Object dispatched(Object mono, Throwable thrown) {
    Tracer.exit(span);
    Object observed = null;
    if (thrown == null) {
      try {
        observed = Monos.observed(mono, this);
      } catch (Exception e) {
        // not followed: the span ends here rather than never
      }
    }
    if (observed == null) {
      end(null, thrown, null);
    }
    return observed;
  }

  /**
   * A sync handler starts running (on the SDK's worker thread, or in place): the span of its call becomes
   * current; returns what to restore, or the call itself as a marker when no dispatch was seen (then this is
   * the span's only hook, see {@link #runningAlone}).
   */
  static Object running(McpOperation operation, Object exchange, Object typedRequest) {
    ServerCall call = handling(exchange, operation, typedRequest);
    if (call == null) {
      return runningAlone(operation, exchange, typedRequest);
    }
    return new Attached(Tracer.attach(call.span));
  }

  /** Where the SDK's dispatch could not be woven: the span covers the sync handler's run alone. */
  private static ServerCall runningAlone(McpOperation operation, Object exchange, Object typedRequest) {
    ServerCall call = new ServerCall(operation, exchange, typedRequest);
    call.span = Tracer.startContinuing(operation.spanName(typedRequest), operation.kind, call, McpRenderer.SERVER,
        TraceContext.received(typedRequest));
    return call;
  }

  static void ran(Object state, Object result, Throwable thrown) {
    if (state instanceof Attached) {
      Tracer.restore(((Attached) state).previous);
    } else if (state instanceof ServerCall) {
      ServerCall call = (ServerCall) state;
      Tracer.end(call.span, result, thrown != null ? thrown : ToolError.of(result));
    }
  }

  /** The open call of this exchange for this request (several when a stateless server shares one context). */
  private static ServerCall handling(Object exchange, McpOperation operation, Object typedRequest) {
    if (exchange == null) {
      return null;
    }
    synchronized (HANDLING) {
      List<ServerCall> calls = HANDLING.get(exchange);
      if (calls != null) {
        for (ServerCall call : calls) {
          if (call.operation == operation && call.isFor(typedRequest)) {
            return call;
          }
        }
      }
    }
    return null;
  }

  private boolean isFor(Object typedRequest) {
    String target = operation.target(typedRequest);
    Object arguments = McpOperation.arguments(typedRequest);
    Object received = McpOperation.arguments(request);
    return target != null && target.equals(operation.target(request))
        && (arguments == null ? received == null : arguments.equals(received));
  }

  @Override
  public void subscribed() {}

  @Override
  public void succeeded(Object result) {
    end(result, null, null);
  }

  @Override
  public void failed(Throwable error) {
    end(null, error, null);
  }

  @Override
  public void cancelled() {
    end(null, null, "cancelled before the handler completed (the client went away or the server closed)");
  }

  private void end(Object result, Throwable thrown, String unfinished) {
    if (exchange != null) {
      synchronized (HANDLING) {
        List<ServerCall> calls = HANDLING.get(exchange);
        if (calls != null && calls.remove(this) && calls.isEmpty()) {
          HANDLING.remove(exchange);
        }
      }
    }
    if (unfinished != null) {
      Tracer.endUnfinished(span, unfinished);
    } else {
      Tracer.end(span, result, thrown != null ? thrown : ToolError.of(result));
    }
  }

  private static final class Attached {
    final Span previous;

    Attached(Span previous) {
      this.previous = previous;
    }
  }
}
