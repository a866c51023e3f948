package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Comparator;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Wrappers for the SDK's {@code HttpResponseFor} and {@code StreamResponse}, built as
 * {@link Proxy java.lang.reflect.Proxy} instances of the SDK's own interfaces so that this module
 * compiles without the SDK and one build serves every version. Every method passes through unchanged;
 * only {@code parse()}, {@code stream()} and {@code close()} also tell the {@link CallState}.
 */
final class SdkProxies {
  private SdkProxies() {}

  private static final ProxyFactory HTTP_RESPONSE = new ProxyFactory("com.openai.core.http.HttpResponseFor");
  private static final ProxyFactory STREAM_RESPONSE = new ProxyFactory("com.openai.core.http.StreamResponse");

  static Object httpResponse(CallState state, Object delegate) {
    return HTTP_RESPONSE.wrap(delegate, new HttpResponseHandler(state, delegate));
  }

  static Object streamResponse(CallState state, Object delegate) {
    return STREAM_RESPONSE.wrap(delegate, new StreamResponseHandler(state, delegate));
  }

  /**
   * The proxy constructor for one SDK interface, found once per implementing class (so per SDK copy and
   * class loader): the app thread then pays one constructor call per wrapper, no class look-up.
   */
  private static final class ProxyFactory extends ClassValue<Constructor<?>> {
    private final String interfaceName;

    ProxyFactory(String interfaceName) {
      this.interfaceName = interfaceName;
    }

    @Override
    protected Constructor<?> computeValue(Class<?> implementation) {
      try {
        ClassLoader loader = implementation.getClassLoader();
        Class<?> type = Class.forName(interfaceName, false, loader);
        if (!type.isAssignableFrom(implementation)) {
          return null;
        }
        return Proxy.getProxyClass(loader, type).getConstructor(InvocationHandler.class);
      } catch (Throwable e) {
        return null;
      }
    }

    /** The delegate behind a proxy of the interface, or the delegate itself where none can be made. */
    Object wrap(Object delegate, InvocationHandler handler) {
      Constructor<?> constructor = get(delegate.getClass());
      if (constructor == null) {
        return delegate;
      }
      try {
        return constructor.newInstance(handler);
      } catch (Throwable e) {
        return delegate;
      }
    }
  }

  static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static boolean is(Method method, String name, Object[] args) {
    return method.getName().equals(name) && (args == null || args.length == 0);
  }

  /** {@code parse()} ends a plain call with its result, or hands a stream to its own wrapper. */
  private static final class HttpResponseHandler implements InvocationHandler {
    private final CallState state;
    private final Object delegate;

    HttpResponseHandler(CallState state, Object delegate) {
      this.state = state;
      this.delegate = delegate;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (is(method, "parse", args)) {
        Object parsed;
        try {
          parsed = SdkProxies.invoke(delegate, method, args);
        } catch (Throwable error) {
          state.failed(error);
          throw error;
        }
        if (!state.streaming()) {
          state.succeeded(parsed);
          return parsed;
        }
        return parsed == null ? null : state.tracedStream(parsed);
      }
      if (is(method, "close", args)) {
        try {
          return SdkProxies.invoke(delegate, method, args);
        } finally {
          state.succeeded(null);
        }
      }
      return SdkProxies.invoke(delegate, method, args);
    }
  }

  /** {@code stream()} returns a stream that records chunks and ends the span when exhausted or closed. */
  private static final class StreamResponseHandler implements InvocationHandler {
    private final CallState state;
    private final Object delegate;

    StreamResponseHandler(CallState state, Object delegate) {
      this.state = state;
      this.delegate = delegate;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (is(method, "stream", args)) {
        @SuppressWarnings("unchecked")
        final Stream<Object> inner = (Stream<Object>) SdkProxies.invoke(delegate, method, args);
        return StreamSupport.stream(new TracingSpliterator<Object>(state, inner.spliterator()), false)
            .onClose(new Runnable() {
              @Override
              public void run() {
                try {
                  inner.close();
                } finally {
                  state.succeeded(null);
                }
              }
            });
      }
      if (is(method, "close", args)) {
        try {
          return SdkProxies.invoke(delegate, method, args);
        } finally {
          state.succeeded(null);
        }
      }
      return SdkProxies.invoke(delegate, method, args);
    }
  }

  /**
   * Reads the SDK's stream one element at a time: each goes to the chunk log, then to the app's action
   * with the caller's parent current (async handlers run on the SDK's executor). Sequential only, so no
   * chunk can be lost to a split.
   */
  static final class TracingSpliterator<T> implements Spliterator<T> {
    private final CallState state;
    private final Spliterator<T> inner;
    private final Span parent;

    TracingSpliterator(CallState state, Spliterator<T> inner) {
      this.state = state;
      this.inner = inner;
      this.parent = state.span.parent();
    }

    @Override
    public boolean tryAdvance(final Consumer<? super T> action) {
      final boolean[] delivered = new boolean[1];
      Consumer<T> recording = new Consumer<T>() {
        @Override
        public void accept(T chunk) {
          if (state.onChunk(chunk)) {
            delivered[0] = true;
            Span previous = Tracer.attach(parent);
            try {
              action.accept(chunk);
            } finally {
              Tracer.restore(previous);
            }
          }
        }
      };
      try {
        // A chunk the app must not see (the usage the agent asked for) is skipped, not delivered empty.
        while (true) {
          if (!inner.tryAdvance(recording)) {
            state.succeeded(null);
            return false;
          }
          if (delivered[0]) {
            return true;
          }
        }
      } catch (RuntimeException e) {
        state.failed(e);
        throw e;
      } catch (Error e) {
        state.failed(e);
        throw e;
      }
    }

    @Override
    public Spliterator<T> trySplit() {
      return null;
    }

    @Override
    public long estimateSize() {
      return inner.estimateSize();
    }

    @Override
    public int characteristics() {
      return inner.characteristics() & ~(Spliterator.SIZED | Spliterator.SUBSIZED);
    }

    @Override
    public Comparator<? super T> getComparator() {
      return inner.getComparator();
    }
  }
}
