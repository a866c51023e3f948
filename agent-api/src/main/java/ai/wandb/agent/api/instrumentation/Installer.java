package ai.wandb.agent.api.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Tracer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/** Installs every enabled module's advice with one Byte Buddy {@link AgentBuilder}. */
public final class Installer {
  private Installer() {}

  /** Returns the installed transformer, which tests reset to leave the JVM as they found it. */
  public static ResettableClassFileTransformer install(Instrumentation instrumentation,
      List<InstrumentationModule> modules) {
    disableNexus();
    AgentBuilder builder = new AgentBuilder.Default()
        .disableClassFormatChanges()
        // Retransformation lets agentmain (attach to a running JVM) reach classes loaded already.
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        // Advice is inlined and no auxiliary class is generated, so nothing is ever injected; saying so
        // keeps Byte Buddy from probing injection (which touches sun.misc.Unsafe and warns on Java 24+).
        .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
        .with(new DebugListener())
        .ignore(nameStartsWith("java.")
            .or(nameStartsWith("jdk."))
            .or(nameStartsWith("sun."))
            .or(nameStartsWith("com.sun."))
            .or(nameStartsWith("ai.wandb.agent.")));
    for (InstrumentationModule module : modules) {
      ClassLoaderGate gate = new ClassLoaderGate(module.classLoaderMarkers());
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        builder = builder.type(type.typeMatcher(), gate)
            .transform(new AdviceTransformer(type))
            // A library on the module path must be able to read the agent's unnamed module.
            .assureReadEdgeTo(instrumentation, Tracer.class);
      }
    }
    return builder.installOn(instrumentation);
  }

  /**
   * Byte Buddy's Nexus (for initializers of generated types, which inlined advice never needs) would be
   * injected into the system class loader, and probing for it touches {@code sun.misc.Unsafe}, which
   * Java 24+ reports on the application's stderr. Its switch is a system property named after Byte
   * Buddy's package, relocated with it.
   */
  private static void disableNexus() {
    String byteBuddy = ByteBuddy.class.getName();
    String property = byteBuddy.substring(0, byteBuddy.lastIndexOf('.')) + ".nexus.disabled";
    if (System.getProperty(property) == null) {
      System.setProperty(property, "true");
    }
  }

  /** Applies a type's advice; the advice is read once, not per transformed class. */
  private static final class AdviceTransformer implements AgentBuilder.Transformer {
    private final List<AsmVisitorWrapper> visitors = new ArrayList<AsmVisitorWrapper>();

    AdviceTransformer(TypeInstrumentation type) {
      for (MethodAdvice advice : type.methodAdvice()) {
        visitors.add(Advice.to(advice.advice()).on(advice.methods()));
      }
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
        ClassLoader loader, JavaModule module, ProtectionDomain protectionDomain) {
      for (AsmVisitorWrapper visitor : visitors) {
        builder = builder.visit(visitor);
      }
      return builder;
    }
  }

  /** With wandb.debug: every transformed class and every failure, one line each. */
  private static final class DebugListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
        boolean loaded, DynamicType dynamicType) {
      AgentLog.debug("instrumented " + type.getName());
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
        Throwable throwable) {
      AgentLog.debug("could not instrument " + typeName + ", it runs untraced: " + throwable);
    }
  }
}
