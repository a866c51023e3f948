package ai.wandb.agent.api.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Woven copies of {@link BridgeFixture}, defined in a loader of their own so that the JVM verifies them. */
class BridgedWeavingTest {
  private static final String FIXTURE = BridgeFixture.class.getName();

  private final List<String> log = new ArrayList<>();

  @Test
  void anEntryHookSeesTheArgumentAndTheMethodRunsOn() throws Exception {
    List<Object> seen = new ArrayList<>();
    Runnable task = () -> {};
    Object fixture = woven(BridgeAdvice.atEntry(MethodMatcher.named("hand"), 1, value -> seen.add(value)));

    fixture.getClass().getMethod("hand", long.class, Runnable.class).invoke(fixture, 7L, task);

    assertEquals(List.of(task), seen);
    assertEquals(List.of("constructed", "hand 7"), log);
  }

  @Test
  void aConstructorEntryHookSeesThisAfterSuper() throws Exception {
    List<Object> seen = new ArrayList<>();
    Object fixture = woven(BridgeAdvice.atEntry(MethodMatcher.constructors(), BridgeAdvice.THIS, value -> {
      seen.add(value);
      return null;
    }));

    assertEquals(1, seen.size());
    assertSame(fixture, seen.get(0));
  }

  @Test
  void aHookThatThrowsChangesNothing() throws Exception {
    Object fixture = woven(BridgeAdvice.atEntry(MethodMatcher.named("hand"), 1, value -> {
      throw new IllegalStateException("hook bug");
    }));

    fixture.getClass().getMethod("hand", long.class, Runnable.class).invoke(fixture, 1L, (Runnable) () -> {});

    assertEquals(List.of("constructed", "hand 1"), log);
  }

  @Test
  void beforeAndAfterRunAroundTheCallWithTheToken() throws Exception {
    Runnable task = () -> log.add("task");
    Object fixture = woven(around("java.lang.Runnable", "run", "()V"));

    fixture.getClass().getMethod("runIt", Runnable.class).invoke(fixture, task);

    assertEquals(List.of("constructed", "start", "before", "task", "after token", "end"), log);
  }

  @Test
  void noAfterWhenBeforeReturnedNull() throws Exception {
    Object fixture = woven(BridgeAdvice.aroundCalls(MethodMatcher.named("runIt"), "java.lang.Runnable", "run", "()V",
        value -> null, token -> log.add("after")));

    fixture.getClass().getMethod("runIt", Runnable.class).invoke(fixture, (Runnable) () -> log.add("task"));

    assertEquals(List.of("constructed", "start", "task", "end"), log);
  }

  @Test
  void afterRunsBeforeTheMethodsOwnHandlerAndTheExceptionIsUntouched() throws Exception {
    List<StackTraceElement[]> traces = new ArrayList<>();
    Runnable failing = () -> {
      IllegalStateException e = new IllegalStateException("boom");
      traces.add(e.getStackTrace());
      throw e;
    };
    Object fixture = woven(around("java.lang.Runnable", "run", "()V"));

    Object result = fixture.getClass().getMethod("runCaught", Runnable.class, double.class).invoke(fixture, failing, 0.5);

    assertEquals("0 0.5", result);
    assertEquals(List.of("constructed", "before", "after token", "caught boom", "before", "after token", "caught boom"),
        log);
    // The same frames as the unwoven class gives from the task up to the woven method (the test's own
    // calling line differs): nothing of the agent's in between.
    Object unwoven = new BridgeFixture(new ArrayList<>());
    unwoven.getClass().getMethod("runCaught", Runnable.class, double.class).invoke(unwoven, failing, 0.5);
    assertEquals(printed(traces.get(2)).subList(0, 6), printed(traces.get(0)).subList(0, 6));
    for (StackTraceElement frame : traces.get(0)) {
      assertFalse(frame.getClassName().contains("Hooks"), frame.toString());
    }
  }

  @Test
  void anUncaughtExceptionPassesThroughAfterTheRestore() throws Exception {
    Object fixture = woven(around("java.lang.Runnable", "run", "()V"));
    Runnable failing = () -> {
      throw new IllegalArgumentException("out");
    };

    InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
        () -> fixture.getClass().getMethod("runIt", Runnable.class).invoke(fixture, failing));

    assertEquals("out", thrown.getCause().getMessage());
    assertEquals(List.of("constructed", "start", "before", "after token"), log);
  }

  @Test
  void aCallWithAResultKeepsItAndTheMethodsWideLocals() throws Exception {
    Object fixture = woven(around("java.util.function.BooleanSupplier", "getAsBoolean", "()Z"));

    Object result = fixture.getClass().getMethod("test", BooleanSupplier.class, long.class)
        .invoke(fixture, (BooleanSupplier) () -> true, 3L);

    assertEquals(true, result);
    assertEquals(List.of("constructed", "before", "after token"), log);
  }

  @Test
  void aCallThatIsNotAStatementOfItsOwnLeavesTheClassUnwoven() {
    BridgeAdvice advice = BridgeAdvice.aroundCalls(MethodMatcher.named("nested"), "java.util.function.BooleanSupplier",
        "getAsBoolean", "()Z", value -> "token", token -> null);

    assertThrows(IllegalStateException.class, () -> Weaver.weave(fixtureBytes(), FIXTURE, List.of(), List.of(advice)));
  }

  @Test
  void classFilesBeforeJava11AreLeftAlone() throws Exception {
    byte[] old = fixtureBytes();
    old[6] = 0;
    old[7] = 52;
    BridgeAdvice advice = BridgeAdvice.atEntry(MethodMatcher.named("hand"), 1, value -> null);

    assertEquals(null, Weaver.weave(old, FIXTURE, List.of(), List.of(advice)));
  }

  private static List<String> printed(StackTraceElement[] frames) {
    List<String> lines = new ArrayList<>();
    for (StackTraceElement frame : frames) {
      lines.add(frame.toString());
    }
    return lines;
  }

  private BridgeAdvice around(String owner, String name, String descriptor) {
    return BridgeAdvice.aroundCalls(MethodMatcher.named("runIt", "runCaught", "test"), owner, name, descriptor,
        value -> {
          log.add("before");
          return "token";
        },
        token -> log.add("after " + token));
  }

  private Object woven(BridgeAdvice advice) throws Exception {
    byte[] woven = Weaver.weave(fixtureBytes(), FIXTURE, List.of(), List.of(advice));
    assertNotNull(woven);
    Class<?> type = new ClassLoader(BridgedWeavingTest.class.getClassLoader()) {
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
    assertTrue(type != BridgeFixture.class);
    return type.getConstructor(List.class).newInstance(log);
  }

  private static byte[] fixtureBytes() throws IOException {
    try (InputStream in = BridgeFixture.class.getResourceAsStream("BridgeFixture.class")) {
      return in.readAllBytes();
    }
  }
}
