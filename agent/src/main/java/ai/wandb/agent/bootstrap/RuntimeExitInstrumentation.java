package ai.wandb.agent.bootstrap;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ai.wandb.agent.api.AgentLog;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Records the status passed to {@code Runtime.exit} (what {@code System.exit} calls), so the W&B run
 * can be finished with the real exit code: a shutdown hook cannot read it otherwise. The advice only
 * calls JDK classes (a system property carries the value), because it is inlined into a bootstrap
 * class that cannot see the agent. The transformer is removed once {@code Runtime} is retransformed,
 * so no later class load pays for it.
 */
final class RuntimeExitInstrumentation {
  static final String PROPERTY = "wandb.agent.exit_status";

  private RuntimeExitInstrumentation() {}

  static void install(Instrumentation instrumentation) {
    try {
      ResettableClassFileTransformer transformer = new AgentBuilder.Default()
          .disableClassFormatChanges()
          .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
          .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
          .ignore(none())
          .type(named("java.lang.Runtime"))
          .transform(new AgentBuilder.Transformer() {
            @Override
            public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                ClassLoader loader, JavaModule module, ProtectionDomain protectionDomain) {
              return builder.visit(Advice.to(ExitAdvice.class).on(named("exit").and(takesArguments(int.class))));
            }
          })
          .installOn(instrumentation);
      instrumentation.removeTransformer(transformer);
    } catch (Throwable t) {
      AgentLog.debug("the exit status will not be known (Runtime.exit not instrumented): " + t);
    }
  }

  /** The status the JVM exits with, when it exits through {@code System.exit}; null otherwise. */
  static Integer recorded() {
    String value = System.getProperty(PROPERTY);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Inlined into {@code java.lang.Runtime.exit(int)}. */
  public static final class ExitAdvice {
    private ExitAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) int status) {
      // PROPERTY is a compile-time constant, so the inlined code holds the string, not a reference.
      if (System.getProperty(PROPERTY) == null) {
        System.setProperty(PROPERTY, Integer.toString(status));
      }
    }
  }
}
