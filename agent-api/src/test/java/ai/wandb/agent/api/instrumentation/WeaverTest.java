package ai.wandb.agent.api.instrumentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeaverTest {
  private static final String FIXTURE = WovenFixture.class.getName();

  /** Records every call and lets a test replace arguments or the result, or throw. */
  static final class RecordingHook implements MethodHook {
    final List<String> events = new ArrayList<>();
    Object[] enteredWith;
    Object self;
    Object selfOnExit;
    Object returned;
    Throwable thrown;
    Object replaceResult;
    Object replaceFirstArgument;
    RuntimeException failWith;

    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      events.add("enter " + site);
      this.self = self;
      enteredWith = arguments.clone();
      if (failWith != null) {
        throw failWith;
      }
      if (replaceFirstArgument != null) {
        arguments[0] = replaceFirstArgument;
      }
      return "state";
    }

    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      events.add("exit " + state);
      selfOnExit = self;
      this.returned = returned;
      this.thrown = thrown;
      if (failWith != null) {
        throw failWith;
      }
      return replaceResult != null ? replaceResult : returned;
    }
  }

  @Test
  void passesBoxedArgumentsSelfAndResultAroundAnInstanceMethod() throws Exception {
    RecordingHook hook = new RecordingHook();
    Object fixture = wovenInstance(new MethodAdvice(MethodMatcher.named("greet"), hook), "p:");

    Object result = call(fixture, "greet", "ab", 2, 7L, 0.5d);

    assertEquals("p:abab70.5", result);
    assertArrayEquals(new Object[] {"ab", 2, 7L, 0.5d}, hook.enteredWith);
    assertSame(fixture, hook.self);
    assertEquals("p:abab70.5", hook.returned);
    assertNull(hook.thrown);
    assertEquals(List.of("enter " + FIXTURE + ".greet", "exit state"), hook.events);
  }

  @Test
  void theHookCanReplaceAWritableArgumentAndTheResult() throws Exception {
    RecordingHook hook = new RecordingHook();
    hook.replaceFirstArgument = "xy";
    hook.replaceResult = "replaced";
    Object fixture = wovenInstance(new MethodAdvice(MethodMatcher.named("greet"), hook).writingArguments(0), "p:");

    assertEquals("replaced", call(fixture, "greet", "ab", 1, 0L, 0d));
    assertEquals("p:xy00.0", hook.returned);
  }

  @Test
  void anArgumentNotDeclaredWritableKeepsItsValue() throws Exception {
    RecordingHook hook = new RecordingHook();
    hook.replaceFirstArgument = "xy";
    Object fixture = wovenInstance(new MethodAdvice(MethodMatcher.named("greet"), hook), "p:");

    assertEquals("p:ab00.0", call(fixture, "greet", "ab", 1, 0L, 0d));
  }

  @Test
  void staticMethodsWithPrimitiveResultsAreBoxedAndUnboxed() throws Exception {
    RecordingHook hook = new RecordingHook();
    hook.replaceResult = 99;
    Class<?> woven = wovenClass(new MethodAdvice(MethodMatcher.named("add").takesArguments(2), hook));

    Object result = woven.getMethod("add", int.class, int.class).invoke(null, 2, 3);

    assertEquals(99, result);
    assertEquals(5, hook.returned);
    assertNull(hook.self);
  }

  @Test
  void aThrowingBodyReachesTheHookAndThenTheCallerUnchanged() throws Exception {
    RecordingHook hook = new RecordingHook();
    Object fixture = wovenInstance(new MethodAdvice(MethodMatcher.named("fail"), hook), "");

    InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> call(fixture, "fail", "boom"));

    assertTrue(e.getCause() instanceof IllegalStateException);
    assertEquals("boom", e.getCause().getMessage());
    assertSame(e.getCause(), hook.thrown);
  }

  @Test
  void exceptionsTheBodyCatchesItselfNeverReachTheHook() throws Exception {
    RecordingHook hook = new RecordingHook();
    Object fixture = wovenInstance(new MethodAdvice(MethodMatcher.named("recover"), hook), "");

    assertEquals("recovered x", call(fixture, "recover", "x"));
    assertNull(hook.thrown);
    assertEquals("recovered x", hook.returned);
    assertEquals("empty", call(fixture, "recover", ""));
  }

  @Test
  void aBodyThatReusesItsArgumentSlotStillVerifies() throws Exception {
    RecordingHook hook = new RecordingHook();
    Object fixture = wovenInstance(new MethodAdvice(MethodMatcher.named("reuse"), hook), "");

    assertEquals(42, call(fixture, "reuse", (Object) null));
    assertEquals("7", call(fixture, "reuse", 7));
  }

  @Test
  void constructorsGetTheInitializedInstanceOnExit() throws Exception {
    RecordingHook hook = new RecordingHook();
    Object fixture = wovenInstance(new MethodAdvice(MethodMatcher.constructors(), hook), "p:");

    assertSame(fixture, hook.self);
    assertSame(fixture, hook.selfOnExit);
    assertArrayEquals(new Object[] {"p:"}, hook.enteredWith);
    assertEquals(List.of("enter " + FIXTURE + ".<init>", "exit state"), hook.events);
  }

  @Test
  void fieldValuesFollowTheArguments() throws Exception {
    RecordingHook hook = new RecordingHook();
    Object fixture = wovenInstance(new MethodAdvice(MethodMatcher.named("record"), hook).readingFields("prefix"), "p:");

    call(fixture, "record", "entry");

    assertArrayEquals(new Object[] {"entry", "p:"}, hook.enteredWith);
  }

  @Test
  void aMethodWhoseFieldIsMissingIsLeftAlone() throws IOException {
    RecordingHook hook = new RecordingHook();
    byte[] woven = Weaver.weave(fixtureBytes(), FIXTURE,
        List.of(new MethodAdvice(MethodMatcher.named("record"), hook).readingFields("noSuchField")));

    assertNull(woven);
  }

  @Test
  void aFailingHookChangesNothingTheApplicationSees() throws Exception {
    RecordingHook hook = new RecordingHook();
    hook.failWith = new IllegalStateException("hook bug");
    Object fixture = wovenInstance(new MethodAdvice(MethodMatcher.named("greet"), hook).writingArguments(0), "p:");

    assertEquals("p:ab00.0", call(fixture, "greet", "ab", 1, 0L, 0d));
    assertEquals(2, hook.events.size());
  }

  @Test
  void aClassNoAdviceSelectsAMethodOfIsLeftAsItIs() throws IOException {
    byte[] woven = Weaver.weave(fixtureBytes(), FIXTURE,
        List.of(new MethodAdvice(MethodMatcher.named("greet").takesArguments(1), new RecordingHook())));

    assertNull(woven);
  }

  private static Object call(Object target, String name, Object... arguments) throws Exception {
    for (Method method : target.getClass().getMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
        return method.invoke(target, arguments);
      }
    }
    throw new AssertionError("no method " + name + Arrays.toString(arguments));
  }

  @Test
  void twoAdvicesForOneMethodBothRunInOrderAndEachKeepsItsState() throws Exception {
    List<String> events = new ArrayList<>();
    List<String> wovenSites = new ArrayList<>();
    class Named implements MethodHook {
      private final String name;

      Named(String name) {
        this.name = name;
      }

      @Override
      public void woven(HookSite site) {
        wovenSites.add(name + " " + site);
      }

      @Override
      public Object enter(HookSite site, Object self, Object[] arguments) {
        events.add("enter " + name);
        if (name.equals("failing")) {
          throw new IllegalStateException("a hook's own bug");
        }
        return name + "-state";
      }

      @Override
      public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
        events.add("exit " + name + " " + state + " " + returned);
        return name.equals("outer") ? returned : returned + "!";
      }
    }
    Object fixture = wovenClass(List.of(new MethodAdvice(MethodMatcher.named("greet"), new Named("outer")),
        new MethodAdvice(MethodMatcher.named("greet"), new Named("failing")),
        new MethodAdvice(MethodMatcher.named("greet"), new Named("inner"))))
        .getConstructor(String.class).newInstance("p:");

    assertEquals("p:abab70.5!!", call(fixture, "greet", "ab", 2, 7L, 0.5d));
    assertEquals(List.of("enter outer", "enter failing", "enter inner", "exit inner inner-state p:abab70.5",
        "exit failing null p:abab70.5!", "exit outer outer-state p:abab70.5!!"), events);
    assertEquals(List.of("outer " + FIXTURE + ".greet", "failing " + FIXTURE + ".greet", "inner " + FIXTURE + ".greet"),
        wovenSites);
  }

  @Test
  void whereAnAdviceReplacesArgumentsOnlyTheFirstAdviceApplies() throws Exception {
    RecordingHook first = new RecordingHook();
    RecordingHook second = new RecordingHook();
    first.replaceFirstArgument = "xy";
    Object fixture = wovenClass(List.of(new MethodAdvice(MethodMatcher.named("greet"), first).writingArguments(0),
        new MethodAdvice(MethodMatcher.named("greet"), second))).getConstructor(String.class).newInstance("p:");

    assertEquals("p:xyxy70.5", call(fixture, "greet", "ab", 2, 7L, 0.5d));
    assertEquals(2, first.events.size());
    assertTrue(second.events.isEmpty());
  }

  private static Object wovenInstance(MethodAdvice advice, String prefix) throws Exception {
    return wovenClass(advice).getConstructor(String.class).newInstance(prefix);
  }

  private static Class<?> wovenClass(MethodAdvice advice) throws IOException, ClassNotFoundException {
    return wovenClass(List.of(advice));
  }

  /** Defines the woven fixture in a loader of its own, so the JVM verifies the woven bytes. */
  private static Class<?> wovenClass(List<MethodAdvice> advice) throws IOException, ClassNotFoundException {
    byte[] woven = Weaver.weave(fixtureBytes(), FIXTURE, advice);
    assertNotNull(woven);
    return new ClassLoader(WeaverTest.class.getClassLoader()) {
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
  }

  private static byte[] fixtureBytes() throws IOException {
    try (InputStream in = WovenFixture.class.getResourceAsStream("WovenFixture.class")) {
      return in.readAllBytes();
    }
  }
}
