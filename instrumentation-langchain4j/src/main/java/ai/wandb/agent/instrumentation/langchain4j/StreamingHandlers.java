package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Follows a streaming chat call through its {@code StreamingChatResponseHandler}: a proxy of the
 * application's handler interface forwards every callback (including those newer versions add as
 * default methods) and marks the first token, ends the span on the complete response or the error,
 * and runs each callback with the span's parent current, since callbacks arrive on other threads and
 * an AI service continues its tool loop from them.
 */
final class StreamingHandlers {
  static final String HANDLER_INTERFACE = "dev.langchain4j.model.chat.response.StreamingChatResponseHandler";

  private StreamingHandlers() {}

  /** The handler to pass on instead of {@code handler}; on any problem the span ends and the original is used. */
  static Object wrap(Span span, Object handler) {
    if (span == null || handler == null) {
      return handler;
    }
    try {
      Class<?> type = handlerInterface(handler.getClass());
      if (type != null) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new Following(span, handler));
      }
      AgentLog.debug("streaming handler " + handler.getClass().getName() + " has no " + HANDLER_INTERFACE);
    } catch (Throwable t) {
      AgentLog.debug("cannot follow streaming handler " + handler.getClass().getName() + ": " + t);
    }
    Tracer.exit(span);
    Tracer.endUnfinished(span, "the agent could not follow this stream");
    return handler;
  }

  private static Class<?> handlerInterface(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> candidate : c.getInterfaces()) {
        if (candidate.getName().equals(HANDLER_INTERFACE)) {
          return candidate;
        }
        Class<?> inherited = handlerInterface(candidate);
        if (inherited != null) {
          return inherited;
        }
      }
    }
    return null;
  }

  static final class Following implements InvocationHandler {
    private final Span span;
    private final Object delegate;

    Following(Span span, Object delegate) {
      this.span = span;
      this.delegate = delegate;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.startsWith("onPartial")) {
        span.markFirstToken();
      } else if (name.equals("onCompleteResponse")) {
        Tracer.end(span, args[0], null);
      } else if (name.equals("onError")) {
        Tracer.end(span, null, (Throwable) args[0]);
      }
      Span previous = Tracer.attach(span.parent());
      try {
        return method.invoke(delegate, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      } finally {
        Tracer.restore(previous);
      }
    }
  }
}
