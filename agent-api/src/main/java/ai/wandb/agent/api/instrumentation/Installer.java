package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Installs every enabled module as one plain {@link ClassFileTransformer}. For each class the JVM
 * loads it only compares the name with the modules' name rules, so an application pays nothing
 * measurable for classes the agent does not hook and no bytecode library is even loaded until a hooked
 * class arrives. Classes loaded before (attach to a running JVM) are retransformed at install.
 */
public final class Installer implements ClassFileTransformer {
  private final List<Target> targets = new ArrayList<Target>();
  /**
   * The one exception to "no bootstrap class": JDK classes a type instrumentation names exactly and
   * gives bridged advice only (they cannot see {@link Hooks}), by internal name.
   */
  private final Map<String, List<BridgeAdvice>> jdkClasses = new HashMap<String, List<BridgeAdvice>>();

  private Installer(List<InstrumentationModule> modules) {
    for (InstrumentationModule module : modules) {
      ClassLoaderGate gate = new ClassLoaderGate(module.name(), module.classLoaderMarkers());
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        targets.add(new Target(gate, type));
        if (!type.bridgeAdvice().isEmpty()) {
          for (String name : type.typeMatcher().exactNames()) {
            if (name.startsWith("java/")) {
              List<BridgeAdvice> advice = jdkClasses.get(name);
              if (advice == null) {
                advice = new ArrayList<BridgeAdvice>();
                jdkClasses.put(name, advice);
              }
              advice.addAll(type.bridgeAdvice());
            }
          }
        }
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
    if (className == null) {
      return null;
    }
    if (loader == null) {
      List<BridgeAdvice> bridged = jdkClasses.get(className);
      return bridged == null ? null : weave(classFile, className, Collections.<MethodAdvice>emptyList(), bridged);
    }
    List<MethodAdvice> advice = null;
    List<BridgeAdvice> bridged = null;
    try {
      for (int i = 0; i < targets.size(); i++) {
        Target target = targets.get(i);
        if (target.takes(loader, className, classFile)) {
          if (advice == null) {
            advice = new ArrayList<MethodAdvice>();
          }
          advice.addAll(target.advice);
          if (!target.bridged.isEmpty()) {
            if (bridged == null) {
              bridged = new ArrayList<BridgeAdvice>();
            }
            bridged.addAll(target.bridged);
          }
        }
      }
    } catch (Throwable t) {
      AgentLog.debug("could not instrument " + className.replace('/', '.') + ", it runs untraced: " + t);
      return null;
    }
    if (advice == null) {
      return null;
    }
    return weave(classFile, className, advice, bridged == null ? Collections.<BridgeAdvice>emptyList() : bridged);
  }

  private static byte[] weave(byte[] classFile, String className, List<MethodAdvice> advice,
      List<BridgeAdvice> bridged) {
    String binaryName = className.replace('/', '.');
    try {
      byte[] woven = Weaver.weave(classFile, binaryName, advice, bridged);
      if (woven != null) {
        AgentLog.debug("instrumented " + binaryName);
      }
      return woven;
    } catch (Throwable t) {
      AgentLog.debug("could not instrument " + binaryName + ", it runs untraced: " + t);
      return null;
    }
  }

  /**
   * Classes the JVM loaded before the agent: few under premain (JDK classes such as {@code Thread}), maybe
   * many under attach.
   */
  private void retransformLoaded(Instrumentation instrumentation) {
    if (!instrumentation.isRetransformClassesSupported()) {
      return;
    }
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      String internalName = type.getName().replace('.', '/');
      boolean candidate = type.getClassLoader() != null ? mayTake(internalName) : jdkClasses.containsKey(internalName);
      if (candidate
          && instrumentation.isModifiableClass(type)) {
        try {
          instrumentation.retransformClasses(type);
        } catch (Throwable t) {
          AgentLog.debug("could not instrument the loaded " + type.getName() + ", it runs untraced: " + t);
        }
      }
    }
  }

  private boolean mayTake(String internalName) {
    for (Target target : targets) {
      if (target.matcher.candidate(internalName) != null) {
        return true;
      }
    }
    return false;
  }

  /** One type instrumentation behind its module's gate. */
  private static final class Target {
    final ClassLoaderGate gate;
    final TypeMatcher matcher;
    final List<MethodAdvice> advice;
    final List<BridgeAdvice> bridged;

    Target(ClassLoaderGate gate, TypeInstrumentation type) {
      this.gate = gate;
      this.matcher = type.typeMatcher();
      this.advice = type.methodAdvice();
      this.bridged = type.bridgeAdvice();
    }

    boolean takes(ClassLoader loader, String internalName, byte[] classFile) {
      TypeMatcher.Rule rule = matcher.candidate(internalName);
      return rule != null && gate.matches(loader)
          && (rule.superType == null || TypeHierarchy.isImplementation(loader, classFile, rule.superType));
    }
  }
}
