package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.HookSite;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.MethodHook;
import ai.wandb.agent.api.instrumentation.MethodMatcher;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Follows a streaming chat call through its {@code StreamingChatResponseHandler}: marks the first token,
 * ends the span on the complete response or the error, and runs each callback with the span's parent
 * current, since callbacks arrive on other threads and an AI service continues its tool loop from them.
 * Through {@code StreamingChatModel.chat(...)} (every LangChain4j provider) the application's handler is
 * called by LangChain4j's own observing handler ({@code StreamingChatModel$1}, which feeds the model
 * listeners), so that class is woven ({@link ObserverInstrumentation}) and the application's handler is
 * passed on untouched: no frame of the agent is on its stack, whatever it throws or prints. Only a
 * provider that overrides {@code chat(...)} itself, bypassing that observer, gets a proxy of the handler.
 */
final class StreamingHandlers {
  static final String HANDLER_INTERFACE = "dev.langchain4j.model.chat.response.StreamingChatResponseHandler";
  static final String OBSERVER = "dev.langchain4j.model.chat.StreamingChatModel$1";

  /** LangChain4j's observing handler to the streaming chat span it reports to. */
  private static final Map<Object, Span> OBSERVED = Collections.synchronizedMap(new WeakHashMap<Object, Span>());

  private StreamingHandlers() {}

  /**
   * The handler to pass on instead of {@code handler}: itself when the call goes through the interface's
   * {@code chat(...)} ({@code wovenType}), whose observer is followed; otherwise a proxy. On any problem
   * the span ends and the original is used.
   */
  static Object wrap(Span span, Object handler, String wovenType) {
    if (span == null || handler == null || wovenType.equals(StreamingChatModelInstrumentation.STREAMING_CHAT_MODEL)) {
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

  /** The observer was built inside {@code chat(...)}: it reports to the chat span current there. */
  static void observerCreated(Object observer) {
    Span current = Tracer.current();
    if (current != null && !current.isEnded() && current.request() instanceof Calls.Chat) {
      OBSERVED.put(observer, current);
    }
  }

  /** Before an observer callback: what the callback means for the span; returns what to restore. */
  static Object callback(Object observer, String method, Object[] arguments) {
    Span span = OBSERVED.get(observer);
    if (span == null) {
      return null;
    }
    if (method.startsWith("onPartial")) {
      span.markFirstToken();
    } else if (method.equals("onCompleteResponse")) {
      Tracer.end(span, arguments[0], null);
    } else if (method.equals("onError")) {
      Tracer.end(span, null, arguments[0] instanceof Throwable ? (Throwable) arguments[0] : null);
    }
    return new Span[] {Tracer.attach(span.parent())};
  }

  static void callbackDone(Object scope) {
    if (scope != null) {
      Tracer.restore(((Span[]) scope)[0]);
    }
  }

  /** {@code StreamingChatModel$1}, the same anonymous class from LangChain4j 1.0.0 to 1.19.x. */
  static final class ObserverInstrumentation implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named(OBSERVER);
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Arrays.asList(
          new MethodAdvice(MethodMatcher.constructors(), new Created()),
          new MethodAdvice(MethodMatcher.named("onPartialResponse", "onPartialThinking", "onPartialToolCall",
              "onCompleteToolCall", "onUnmappedRawEvent", "onCompleteResponse", "onError"), new Callback()));
    }
  }

  static final class Created implements MethodHook {
    @Override
    public Object exit(HookSite site, Object state, Object observer, Object returned, Throwable thrown) {
      if (thrown == null) {
        observerCreated(observer);
      }
      return returned;
    }
  }

  static final class Callback implements MethodHook {
    @Override
    public Object enter(HookSite site, Object observer, Object[] arguments) {
      return callback(observer, site.methodName(), arguments);
    }

    @Override
    public Object exit(HookSite site, Object scope, Object observer, Object returned, Throwable thrown) {
      callbackDone(scope);
      return returned;
    }
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
