package ai.wandb.agent.api.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

/** The installer on a live JVM, as {@code agentmain} uses it when attached to a running application. */
class InstallerTest {
  /** Loaded (and called) before the installer runs, like a library class of an app the agent attaches to. */
  public static class AlreadyLoaded {
    public String hello(String who) {
      return "hello " + who;
    }
  }

  /** Answers every call in place of the method. */
  static final class ReplacingHook implements MethodHook {
    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      return "hooked " + returned;
    }
  }

  @Test
  void classesLoadedBeforeInstallAreRetransformedAndLeftAsTheyWereOnceRemoved() throws Exception {
    AlreadyLoaded target = new AlreadyLoaded();
    assertEquals("hello a", target.hello("a"));
    Instrumentation instrumentation = ByteBuddyAgent.install();

    ClassFileTransformer installer = Installer.install(instrumentation, List.of(module()));
    try {
      assertEquals("hooked hello b", target.hello("b"));
    } finally {
      instrumentation.removeTransformer(installer);
      instrumentation.retransformClasses(AlreadyLoaded.class);
    }

    assertEquals("hello c", target.hello("c"));
  }

  /** A library's interface, and app classes around it, each loaded for the first time after install. */
  public interface Greeter {
    String greet(String who);
  }

  abstract static class BaseGreeter implements Greeter {}

  static final class LoudGreeter extends BaseGreeter {
    @Override
    public String greet(String who) {
      return "HELLO " + who;
    }
  }

  interface PoliteGreeter extends Greeter {}

  static final class QuietGreeter implements PoliteGreeter {
    @Override
    public String greet(String who) {
      return "hi " + who;
    }
  }

  static final class NotAGreeter {
    public String greet(String who) {
      return "no " + who;
    }
  }

  @Test
  void implementationsOfAnInterfaceAreWovenWhateverTheirPathToItAndNothingElse() throws Exception {
    Instrumentation instrumentation = ByteBuddyAgent.install();
    ClassFileTransformer installer = Installer.install(instrumentation, List.of(module(
        TypeMatcher.implementationsOf(Greeter.class.getName(), InstallerTest.class.getName() + "$"))));
    try {
      // LoudGreeter is handed to the transformer before the JVM loads BaseGreeter, its super class.
      assertEquals("hooked HELLO a", new LoudGreeter().greet("a"));
      assertEquals("hooked hi b", new QuietGreeter().greet("b"));
      assertEquals("no c", new NotAGreeter().greet("c"));
      Greeter lambda = who -> "hey " + who;
      assertEquals("hey d", lambda.greet("d"), "a lambda's class never reaches a transformer");
    } finally {
      instrumentation.removeTransformer(installer);
    }
  }

  static final class CountedGreeter implements Greeter {
    @Override
    public String greet(String who) {
      return "counted " + who;
    }
  }

  @Test
  void withDebugTheTransformerCountsTheClassesItSawAndWove() throws Exception {
    long[] before = costNumbers();
    Instrumentation instrumentation = ByteBuddyAgent.install();
    ai.wandb.agent.api.AgentLog.setDebug(true);
    ClassFileTransformer installer = Installer.install(instrumentation, List.of(module(
        TypeMatcher.implementationsOf(Greeter.class.getName(), InstallerTest.class.getName() + "$"))));
    try {
      assertEquals("hooked counted a", new CountedGreeter().greet("a"));
    } finally {
      instrumentation.removeTransformer(installer);
      ai.wandb.agent.api.AgentLog.setDebug(false);
    }

    long[] after = costNumbers();
    org.junit.jupiter.api.Assertions.assertTrue(after[0] > before[0], "classes seen: " + Installer.costSummary());
    // At least CountedGreeter (install also retransforms greeters an earlier test loaded).
    org.junit.jupiter.api.Assertions.assertTrue(after[1] > before[1], "woven: " + Installer.costSummary());
  }

  /** Classes seen and woven, as the debug line says them. */
  private static long[] costNumbers() {
    java.util.regex.Matcher numbers = java.util.regex.Pattern.compile("(\\d+) classes seen, (\\d+) woven")
        .matcher(Installer.costSummary());
    org.junit.jupiter.api.Assertions.assertTrue(numbers.find(), Installer.costSummary());
    return new long[] {Long.parseLong(numbers.group(1)), Long.parseLong(numbers.group(2))};
  }

  private static InstrumentationModule module() {
    return module(TypeMatcher.named(AlreadyLoaded.class.getName()));
  }

  private static InstrumentationModule module(TypeMatcher matcher) {
    return new InstrumentationModule() {
      @Override
      public String name() {
        return "test";
      }

      @Override
      public List<String> classLoaderMarkers() {
        return List.of(AlreadyLoaded.class.getName());
      }

      @Override
      public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new TypeInstrumentation() {
          @Override
          public TypeMatcher typeMatcher() {
            return matcher;
          }

          @Override
          public List<MethodAdvice> methodAdvice() {
            return List.of(new MethodAdvice(MethodMatcher.named("hello", "greet"), new ReplacingHook()));
          }
        });
      }
    };
  }
}
