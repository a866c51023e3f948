package ai.wandb.agent.api.instrumentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {
  /** A library's listener interface. */
  public interface Events {
    void started(String name, int attempt, long at, boolean retried, double share);

    void ended();
  }

  public interface Before {
    void before();
  }

  public interface After {
    void after();
  }

  @Test
  void callsReachTheHandlerWithTheListenerTheMethodAndTheArgumentsBoxed() throws Exception {
    List<Object[]> calls = new ArrayList<>();
    Object[] self = new Object[1];
    Events events = (Events) Listeners.of(Events.class, (proxy, method, arguments) -> {
      self[0] = proxy;
      calls.add(new Object[] {method, arguments});
      return null;
    });

    events.started("a", 2, 3L, true, 0.5);
    events.ended();

    assertSame(events, self[0]);
    assertEquals(2, calls.size());
    assertEquals(Events.class.getMethod("started", String.class, int.class, long.class, boolean.class, double.class),
        calls.get(0)[0]);
    assertArrayEquals(new Object[] {"a", 2, 3L, true, 0.5}, (Object[]) calls.get(0)[1]);
    assertEquals(Events.class.getMethod("ended"), calls.get(1)[0]);
    assertArrayEquals(new Object[0], (Object[]) calls.get(1)[1]);
    assertTrue(events.equals(events));
    assertFalse(events.equals(Listeners.of(Events.class, (p, m, a) -> null)));
  }

  @Test
  void noProxyClassIsMadeSoTheAppsProxyNumbersStayAsTheyAre() throws Exception {
    Object before = Proxy.newProxyInstance(Before.class.getClassLoader(), new Class<?>[] {Before.class}, (p, m, a) -> null);
    Object listener = Listeners.of(Events.class, (p, m, a) -> null);
    Object after = Proxy.newProxyInstance(After.class.getClassLoader(), new Class<?>[] {After.class}, (p, m, a) -> null);

    assertFalse(Proxy.isProxyClass(listener.getClass()));
    assertEquals(number(before.getClass()) + 1, number(after.getClass()), before.getClass() + " then " + after.getClass());
    assertSame(Events.class.getClassLoader(), listener.getClass().getClassLoader());
    assertEquals(Events.class.getPackage().getName(), listener.getClass().getPackageName());
    assertTrue(listener.getClass().isHidden(), "on Java 15+ a hidden class: " + listener.getClass());
  }

  @Test
  void theListenersFrameIsNotInTheStackTracesOfWhatItCalls() {
    StackTraceElement[][] seen = new StackTraceElement[1][];
    Events events = (Events) Listeners.of(Events.class, (proxy, method, arguments) -> {
      seen[0] = new Throwable().getStackTrace();
      return null;
    });

    events.ended();

    for (StackTraceElement frame : seen[0]) {
      assertFalse(frame.getClassName().contains("WandbAgentListener"), frame.toString());
    }
    // The handler (a lambda here), then the caller: the listener's frame between them is hidden.
    assertEquals("theListenersFrameIsNotInTheStackTracesOfWhatItCalls", seen[0][1].getMethodName(),
        java.util.Arrays.toString(seen[0]));
  }

  @Test
  void anInterfaceWithAMethodThatReturnsSomethingOrInAPackageClosedToTheAgentGetsAProxy() {
    java.util.function.Supplier<?> returning =
        (java.util.function.Supplier<?>) Listeners.of(java.util.function.Supplier.class, (p, m, a) -> "x");
    assertTrue(Proxy.isProxyClass(returning.getClass()));
    assertEquals("x", returning.get());
    // java.lang is not open to the agent's (unnamed) module.
    Runnable closed = (Runnable) Listeners.of(Runnable.class, (p, m, a) -> null);
    assertTrue(Proxy.isProxyClass(closed.getClass()));
    closed.run();
  }

  private static int number(Class<?> proxyClass) {
    String name = proxyClass.getSimpleName();
    return Integer.parseInt(name.substring(name.indexOf("$Proxy") + "$Proxy".length()));
  }
}
