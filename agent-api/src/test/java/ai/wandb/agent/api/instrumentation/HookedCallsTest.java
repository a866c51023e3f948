package ai.wandb.agent.api.instrumentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Woven copies of {@link CallSiteFixture}, defined in a loader of their own so that the JVM verifies them. */
class HookedCallsTest {
  private static final String FIXTURE = CallSiteFixture.class.getName();
  private static final String EXECUTOR = CallSiteFixture.Executor.class.getName();
  private static final String EXECUTE = "(Ljava/lang/String;Ljava/lang/Object;)Ljava/lang/String;";

  private final List<String> log = new ArrayList<>();

  /** Records each call it runs around, and can stand in a result or fail. */
  private final class Recording implements MethodHook {
    final List<Object> receivers = new ArrayList<>();
    final List<Object[]> arguments = new ArrayList<>();
    Throwable thrown;
    String replaceResult;
    RuntimeException failWith;

    @Override
    public Object enter(HookSite site, Object self, Object[] callArguments) {
      log.add("enter " + site);
      receivers.add(self);
      arguments.add(callArguments.clone());
      if (failWith != null) {
        throw failWith;
      }
      return "state" + arguments.size();
    }

    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      log.add("exit " + state + " " + returned);
      this.thrown = thrown;
      if (failWith != null) {
        throw failWith;
      }
      return replaceResult != null ? replaceResult : returned;
    }
  }

  @Test
  void theHookSeesTheReceiverTheCallsArgumentsAndItsResultAndTheStackBelowIsKept() throws Exception {
    Recording hook = new Recording();
    CallSiteFixture.Executor executor = (request, memoryId) -> "[" + request + " " + memoryId + "]";
    Object fixture = woven(hook);

    Object result = fixture.getClass().getMethod("nested", CallSiteFixture.Executor.class, long.class, String.class)
        .invoke(fixture, executor, 7L, "weather");

    assertEquals("got [weather 7] 7", result);
    assertSame(executor, hook.receivers.get(0));
    assertArrayEquals(new Object[] {"weather", 7L}, hook.arguments.get(0));
    assertEquals(List.of("enter " + FIXTURE + ".nested", "exit state1 [weather 7]"), log);
  }

  @Test
  void theHookCanStandInAResult() throws Exception {
    Recording hook = new Recording();
    hook.replaceResult = "replaced";
    Object fixture = woven(hook);

    Object result = fixture.getClass().getMethod("nested", CallSiteFixture.Executor.class, long.class, String.class)
        .invoke(fixture, (CallSiteFixture.Executor) (request, memoryId) -> "x", 1L, "r");

    assertEquals("got replaced 1", result);
  }

  @Test
  void eachCallInALoopIsOneEnterAndExitAndOtherCallsAreLeftAlone() throws Exception {
    Recording hook = new Recording();
    List<Object> sunk = new ArrayList<>();
    Object fixture = woven(hook);

    fixture.getClass().getMethod("loop", CallSiteFixture.Executor.class, CallSiteFixture.Sink.class, List.class)
        .invoke(fixture, (CallSiteFixture.Executor) (request, memoryId) -> request.toUpperCase(),
            (CallSiteFixture.Sink) sunk::add, List.of("a", "b"));

    assertEquals(List.of("A", "B"), sunk);
    assertEquals(List.of("enter " + FIXTURE + ".loop", "exit state1 A", "enter " + FIXTURE + ".loop",
        "exit state2 B"), log);
  }

  @Test
  void theExitSeesTheFailureBeforeTheMethodsOwnHandlerWithNoAgentFrameInIt() throws Exception {
    Recording hook = new Recording();
    List<StackTraceElement[]> traces = new ArrayList<>();
    CallSiteFixture.Executor failing = (request, memoryId) -> {
      IllegalStateException e = new IllegalStateException("closed");
      traces.add(e.getStackTrace());
      throw e;
    };
    Object fixture = woven(hook);

    Object result = fixture.getClass().getMethod("caught", CallSiteFixture.Executor.class, double.class)
        .invoke(fixture, failing, 0.5);

    assertEquals("recovered 0.5", result);
    assertEquals(List.of("enter " + FIXTURE + ".caught", "exit state1 null", "caught closed"), log);
    assertEquals("closed", hook.thrown.getMessage());
    for (StackTraceElement frame : traces.get(0)) {
      assertFalse(frame.getClassName().contains("Hooks"), frame.toString());
    }
  }

  @Test
  void anUncaughtFailureReachesTheCallerUnchanged() throws Exception {
    Recording hook = new Recording();
    IllegalArgumentException failure = new IllegalArgumentException("out");
    Object fixture = woven(hook);

    InvocationTargetException thrown = assertThrows(InvocationTargetException.class, () -> fixture.getClass()
        .getMethod("uncaught", CallSiteFixture.Executor.class)
        .invoke(fixture, (CallSiteFixture.Executor) (request, memoryId) -> {
          throw failure;
        }));

    assertSame(failure, thrown.getCause());
    assertSame(failure, hook.thrown);
    assertSame(fixture, hook.arguments.get(0)[1]);
  }

  @Test
  void aHookThatThrowsChangesNothing() throws Exception {
    Recording hook = new Recording();
    hook.failWith = new IllegalStateException("hook bug");
    Object fixture = woven(hook);

    Object result = fixture.getClass().getMethod("nested", CallSiteFixture.Executor.class, long.class, String.class)
        .invoke(fixture, (CallSiteFixture.Executor) (request, memoryId) -> "fine", 2L, "r");

    assertEquals("got fine 2", result);
  }

  @Test
  void aMethodWithItsOwnHookGetsBothTheCallsInside() throws Exception {
    Recording calls = new Recording();
    MethodHook method = new MethodHook() {
      @Override
      public Object enter(HookSite site, Object self, Object[] arguments) {
        log.add("method enter " + arguments[1]);
        return null;
      }

      @Override
      public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
        log.add("method exit " + returned);
        return returned;
      }
    };
    Object fixture = woven(List.of(new MethodAdvice(MethodMatcher.named("caught"), method), aroundExecute(calls)));
    CallSiteFixture.Executor failing = (request, memoryId) -> {
      throw new IllegalStateException("closed");
    };

    Object ok = fixture.getClass().getMethod("caught", CallSiteFixture.Executor.class, double.class)
        .invoke(fixture, (CallSiteFixture.Executor) (request, memoryId) -> "fine", 0.25);
    Object recovered = fixture.getClass().getMethod("caught", CallSiteFixture.Executor.class, double.class)
        .invoke(fixture, failing, 0.5);

    assertEquals("ok", ok);
    assertEquals("recovered 0.5", recovered);
    assertEquals(List.of("method enter 0.25", "enter " + FIXTURE + ".caught", "exit state1 fine", "result fine",
        "method exit ok", "method enter 0.5", "enter " + FIXTURE + ".caught", "exit state2 null", "caught closed",
        "method exit recovered 0.5"), log);
  }

  /** Both orders of the advice: each weaving's locals lie above the ones of the weaving that saw the code first. */
  @Test
  void callsOfTwoMethodsInOneMethodAreEachWovenByTheirOwnAdviceWithTheMethodsOwnHook() throws Exception {
    for (boolean sinkFirst : new boolean[] {false, true}) {
      log.clear();
      Recording executes = new Recording();
      MethodHook sinks = new MethodHook() {
        @Override
        public Object enter(HookSite site, Object self, Object[] arguments) {
          log.add("sink " + arguments[0]);
          return null;
        }
      };
      MethodHook method = new MethodHook() {
        @Override
        public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
          log.add("method exit");
          return returned;
        }
      };
      MethodAdvice aroundAccept = MethodAdvice.aroundCalls(MethodMatcher.named("loop"),
          CallSiteFixture.Sink.class.getName(), "accept", "(Ljava/lang/Object;)V", sinks);
      List<MethodAdvice> advice = sinkFirst
          ? List.of(aroundAccept, new MethodAdvice(MethodMatcher.named("loop"), method), aroundExecute(executes))
          : List.of(aroundExecute(executes), new MethodAdvice(MethodMatcher.named("loop"), method), aroundAccept);
      Object fixture = woven(advice);
      List<Object> sunk = new ArrayList<>();

      fixture.getClass().getMethod("loop", CallSiteFixture.Executor.class, CallSiteFixture.Sink.class, List.class)
          .invoke(fixture, (CallSiteFixture.Executor) (request, memoryId) -> request.toUpperCase(),
              (CallSiteFixture.Sink) sunk::add, List.of("a", "b"));

      assertEquals(List.of("A", "B"), sunk);
      assertEquals(List.of("enter " + FIXTURE + ".loop", "exit state1 A", "sink A", "enter " + FIXTURE + ".loop",
          "exit state2 B", "sink B", "method exit"), log, "sink advice first: " + sinkFirst);
    }
  }

  @Test
  void aClassWithoutTheCallIsNotWovenAndPrimitiveCallsAreRefused() throws Exception {
    MethodAdvice elsewhere = MethodAdvice.aroundCalls(MethodMatcher.named("nested"), "a.b.Other", "execute", EXECUTE,
        new Recording());
    assertNull(Weaver.weave(fixtureBytes(), FIXTURE, List.of(elsewhere)));
    assertThrows(IllegalArgumentException.class, () -> MethodAdvice.aroundCalls(MethodMatcher.named("nested"),
        EXECUTOR, "size", "()I", new Recording()));
  }

  private static MethodAdvice aroundExecute(MethodHook hook) {
    return MethodAdvice.aroundCalls(MethodMatcher.named("nested", "caught", "loop", "uncaught"), EXECUTOR, "execute",
        EXECUTE, hook);
  }

  private Object woven(MethodHook hook) throws Exception {
    return woven(List.of(aroundExecute(hook)));
  }

  private Object woven(List<MethodAdvice> advice) throws Exception {
    byte[] woven = Weaver.weave(fixtureBytes(), FIXTURE, advice);
    assertNotNull(woven);
    Class<?> type = new ClassLoader(HookedCallsTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(FIXTURE)) {
          synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            return loaded != null ? loaded : defineClass(name, woven, 0, woven.length);
          }
        }
        return super.loadClass(name, resolve);
      }
    }.loadClass(FIXTURE);
    return type.getConstructor(List.class).newInstance(log);
  }

  private static byte[] fixtureBytes() throws IOException {
    try (InputStream in = CallSiteFixture.class.getResourceAsStream("CallSiteFixture.class")) {
      return in.readAllBytes();
    }
  }
}
