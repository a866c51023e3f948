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
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows a streaming chat call through its {@code StreamingChatResponseHandler}: marks the first token,
 * ends the span on the complete response or the error, and runs each callback with the span's parent
 * current, since callbacks arrive on other threads and an AI service continues its tool loop from them.
 * Every class that implements the handler interface is woven ({@link HandlerInstrumentation}), also when
 * it was loaded before the agent (attach retransforms it), so the handler the model calls is followed in
 * its own methods and always passed on untouched: no frame of the agent is on its stack, whatever it
 * throws or prints, and the provider gets the application's own object. Through
 * {@code StreamingChatModel.chat(...)} (every LangChain4j provider) that handler is LangChain4j's own
 * observer ({@code StreamingChatModel$1}, which feeds the model listeners and calls the application's
 * handler); a provider that overrides {@code chat(...)} itself calls the application's handler directly,
 * and that one is followed. A handler whose completion or error callback is declared in a class that is
 * not woven (inherited from a class that does not implement the interface) cannot be followed: its span
 * is the {@code chat(...)} call.
 */
final class StreamingHandlers {
  static final String HANDLER_INTERFACE = "dev.langchain4j.model.chat.response.StreamingChatResponseHandler";
  static final String OBSERVER = "dev.langchain4j.model.chat.StreamingChatModel$1";

  /** LangChain4j's observing handlers to the chat span they report to. */
  private static final Map<Object, Span> OBSERVED = Collections.synchronizedMap(new WeakHashMap<Object, Span>());
  /**
   * Handlers a provider that overrides {@code chat(...)} was given, by identity (they are the
   * application's objects, whose {@code equals} and {@code hashCode} the agent must not call), while their
   * call is open; a few at a time.
   */
  private static final List<Followed> FOLLOWED = new ArrayList<Followed>();
  /** Classes whose handler methods are woven. */
  private static final Set<String> WOVEN = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());
  /** Whether the methods that end a stream, as a handler class resolves them, are declared in woven classes. */
  private static final ClassValue<Boolean> FOLLOWABLE = new ClassValue<Boolean>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      boolean ends = false;
      for (Method method : type.getMethods()) {
        if ((method.getName().equals("onCompleteResponse") || method.getName().equals("onError"))
            && method.getParameterTypes().length == 1) {
          if (!WOVEN.contains(method.getDeclaringClass().getName())) {
            return Boolean.FALSE;
          }
          ends = true;
        }
      }
      return ends;
    }
  };

  private StreamingHandlers() {}

  /**
   * A streaming call starts with {@code handler}, which is passed on untouched. Through the interface's
   * {@code chat(...)} ({@code wovenType}) LangChain4j's observer, built inside, is followed; otherwise the
   * handler itself, or, when its class cannot be followed, the span ends as {@code chat(...)} returns.
   */
  static void follow(Span span, Object handler, String wovenType) {
    if (span == null || handler == null || wovenType.equals(StreamingChatModelInstrumentation.STREAMING_CHAT_MODEL)) {
      return;
    }
    if (FOLLOWABLE.get(handler.getClass())) {
      synchronized (FOLLOWED) {
        FOLLOWED.add(new Followed(handler, span));
      }
    } else {
      AgentLog.debug("streaming handler " + handler.getClass().getName() + " is not woven: its span is the chat call");
      ((Calls.Chat) span.request()).endsOnReturn = true;
    }
  }

  /** The observer was built inside {@code chat(...)}: it reports to the chat span current there. */
  static void observerCreated(Object observer) {
    Span current = Tracer.current();
    if (current != null && !current.isEnded() && current.request() instanceof Calls.Chat) {
      ((Calls.Chat) current.request()).observed = true;
      OBSERVED.put(observer, current);
    }
  }

  /** Before a followed handler's callback: what the callback means for the span; returns what to restore. */
  static Object callback(Object handler, String method, Object[] arguments) {
    Span span = OBSERVED.isEmpty() ? null : OBSERVED.get(handler);
    if (span == null) {
      span = followed(handler);
    }
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

  private static Span followed(Object handler) {
    synchronized (FOLLOWED) {
      Span found = null;
      for (Iterator<Followed> entries = FOLLOWED.iterator(); entries.hasNext(); ) {
        Followed entry = entries.next();
        Object followed = entry.handler.get();
        if (followed == null || entry.span.isEnded()) {
          entries.remove();
        } else if (followed == handler && found == null) {
          found = entry.span;
        }
      }
      return found;
    }
  }

  static void callbackDone(Object scope) {
    if (scope != null) {
      Tracer.restore(((Span[]) scope)[0]);
    }
  }

  /**
   * The construction of {@code StreamingChatModel$1}, the same anonymous class from LangChain4j 1.0.0 to
   * 1.19.x; its callbacks are woven as every handler's are.
   */
  static final class ObserverInstrumentation implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.named(OBSERVER);
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Collections.singletonList(new MethodAdvice(MethodMatcher.constructors(), new Created()));
    }
  }

  /**
   * The callbacks of every {@code StreamingChatResponseHandler}: LangChain4j's observer and AI-service
   * handler, the application's own. A handler no call is followed through costs one look-up per callback.
   */
  static final class HandlerInstrumentation implements TypeInstrumentation {
    @Override
    public TypeMatcher typeMatcher() {
      return TypeMatcher.implementationsOf(HANDLER_INTERFACE, LangChain4jInstrumentationModule.LIBRARY);
    }

    @Override
    public List<MethodAdvice> methodAdvice() {
      return Collections.singletonList(new MethodAdvice(MethodMatcher.named("onPartialResponse", "onPartialThinking",
          "onPartialToolCall", "onCompleteToolCall", "onUnmappedRawEvent", "onCompleteResponse", "onError"),
          new Callback()));
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
    public void woven(HookSite site) {
      WOVEN.add(site.typeName());
    }

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

  private static final class Followed {
    final WeakReference<Object> handler;
    final Span span;

    Followed(Object handler, Span span) {
      this.handler = new WeakReference<Object>(handler);
      this.span = span;
    }
  }
}
