package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs every enabled module as one plain {@link ClassFileTransformer}. For each class the JVM
 * loads it only compares the name with the modules' name rules, so an application pays nothing
 * measurable for classes the agent does not hook and no bytecode library is even loaded until a hooked
 * class arrives. Classes loaded before (attach to a running JVM) are retransformed at install.
 */
public final class Installer implements ClassFileTransformer {
  private final List<Target> targets = new ArrayList<Target>();

  private Installer(List<InstrumentationModule> modules) {
    for (InstrumentationModule module : modules) {
      ClassLoaderGate gate = new ClassLoaderGate(module.name(), module.classLoaderMarkers());
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        targets.add(new Target(gate, type));
      }
    }
  }

  /** Returns the installed transformer; tests remove it with {@link Instrumentation#removeTransformer}. */
  public static ClassFileTransformer install(Instrumentation instrumentation, List<InstrumentationModule> modules) {
    Installer installer = new Installer(modules);
    instrumentation.addTransformer(installer, instrumentation.isRetransformClassesSupported());
    installer.retransformLoaded(instrumentation);
    return installer;
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classFile) {
    if (loader == null || className == null) {
      return null;
    }
    List<MethodAdvice> advice = null;
    try {
      for (int i = 0; i < targets.size(); i++) {
        Target target = targets.get(i);
        if (target.takes(loader, className, classFile)) {
          if (advice == null) {
            advice = new ArrayList<MethodAdvice>();
          }
          advice.addAll(target.advice(className, classFile));
        }
      }
      if (advice == null) {
        return null;
      }
      String binaryName = className.replace('/', '.');
      byte[] woven = Weaver.weave(classFile, binaryName, advice);
      if (woven != null) {
        AgentLog.debug("instrumented " + binaryName);
      }
      return woven;
    } catch (Throwable t) {
      AgentLog.debug("could not instrument " + className.replace('/', '.') + ", it runs untraced: " + t);
      return null;
    }
  }

  /** Classes the JVM loaded before the agent (none under premain, maybe many under attach). */
  private void retransformLoaded(Instrumentation instrumentation) {
    if (!instrumentation.isRetransformClassesSupported()) {
      return;
    }
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (type.getClassLoader() != null && mayTake(type.getClassLoader(), type.getName().replace('.', '/'))
          && instrumentation.isModifiableClass(type)) {
        try {
          instrumentation.retransformClasses(type);
        } catch (Throwable t) {
          AgentLog.debug("could not instrument the loaded " + type.getName() + ", it runs untraced: " + t);
        }
      }
    }
  }

  private boolean mayTake(ClassLoader loader, String internalName) {
    for (Target target : targets) {
      // The gate too, and a rule that fits every name (classes carrying an annotation) reads the class
      // file first: retransforming every loaded class of an app to find a few would cost seconds.
      TypeMatcher.Rule rule = target.matcher.candidate(internalName);
      if (rule != null && target.gate.matches(loader)
          && (rule.classFileTexts == null || fitsClassFile(rule, loader, internalName))) {
        return true;
      }
    }
    return false;
  }

  private static boolean fitsClassFile(TypeMatcher.Rule rule, ClassLoader loader, String internalName) {
    byte[] classFile = TypeHierarchy.read(loader, internalName);
    return classFile != null && rule.fitsClassFile(classFile);
  }

  /** One type instrumentation behind its module's gate. */
  private static final class Target {
    final ClassLoaderGate gate;
    final TypeMatcher matcher;
    final List<MethodAdvice> advice;
    final ClassFileInstrumentation perClassFile;

    Target(ClassLoaderGate gate, TypeInstrumentation type) {
      this.gate = gate;
      this.matcher = type.typeMatcher();
      this.advice = type.methodAdvice();
      this.perClassFile = type instanceof ClassFileInstrumentation ? (ClassFileInstrumentation) type : null;
    }

    boolean takes(ClassLoader loader, String internalName, byte[] classFile) {
      TypeMatcher.Rule rule = matcher.candidate(internalName);
      return rule != null && gate.matches(loader) && rule.fitsClassFile(classFile)
          && (rule.superType == null || TypeHierarchy.isImplementation(loader, classFile, rule.superType));
    }

    List<MethodAdvice> advice(String internalName, byte[] classFile) {
      return perClassFile == null ? advice : perClassFile.methodAdvice(internalName.replace('/', '.'), classFile);
    }
  }
}
