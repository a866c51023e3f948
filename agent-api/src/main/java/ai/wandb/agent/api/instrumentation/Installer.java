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
 * loads it compares the name with the modules' name rules; a module that hooks an interface's
 * implementations also reads the class's header, but only on class loaders that have its library (the
 * module's gate), so classes elsewhere cost a name comparison. Classes loaded before (attach to a
 * running JVM) are retransformed at install.
 */
public final class Installer implements ClassFileTransformer {
  /** No class header was read for this class yet. */
  private static final int NOT_READ = 0;

  private final List<Target> targets = new ArrayList<Target>();
  /**
   * Where each class's look-up starts: most targets name their classes exactly, so a class costs one
   * map look-up for those (the positions, ascending, of the targets naming it) plus a look at the few
   * targets with name rules ({@link #ruleTargets}), instead of a look at every target.
   */
  private final Map<String, int[]> namedTargets = new HashMap<String, int[]>();
  /** Positions, ascending, of the targets with a name rule (a prefix, every implementation of an interface). */
  private final int[] ruleTargets;
  private final TypeHierarchy hierarchy = new TypeHierarchy();
  /**
   * The one exception to "no bootstrap class": JDK classes a type instrumentation names exactly and
   * gives bridged advice only (they cannot see {@link Hooks}), by internal name.
   */
  private final Map<String, List<BridgeAdvice>> jdkClasses = new HashMap<String, List<BridgeAdvice>>();

  private Installer(List<InstrumentationModule> modules) {
    for (InstrumentationModule module : modules) {
      ClassLoaderGate gate = new ClassLoaderGate(module.name(), module.classLoaderMarkers());
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        targets.add(new Target(gate, type, hierarchy));
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
    List<Integer> withRules = new ArrayList<Integer>();
    for (int i = 0; i < targets.size(); i++) {
      TypeMatcher matcher = targets.get(i).matcher;
      if (!matcher.namesOnly()) {
        withRules.add(i);
        continue;
      }
      for (String name : matcher.exactNames()) {
        int[] known = namedTargets.get(name);
        int[] more = known == null ? new int[1] : java.util.Arrays.copyOf(known, known.length + 1);
        more[more.length - 1] = i;
        namedTargets.put(name, more);
      }
    }
    ruleTargets = new int[withRules.size()];
    for (int i = 0; i < ruleTargets.length; i++) {
      ruleTargets[i] = withRules.get(i);
    }
  }

  /** Returns the installed transformer; tests remove it with {@link Instrumentation#removeTransformer}. */
  public static ClassFileTransformer install(Instrumentation instrumentation, List<InstrumentationModule> modules) {
    Installer installer = new Installer(modules);
    instrumentation.addTransformer(installer, instrumentation.isRetransformClassesSupported());
    installer.retransformLoaded(instrumentation);
    return installer;
  }

  /**
   * As {@link #install}, for premain: what the JVM loaded before the agent ({@code java.lang.Thread}) is
   * retransformed on a daemon thread, while the app's main thread goes on. Reading and weaving
   * {@code Thread} and redefining it was the largest part of premain (loading ASM with it); on a
   * machine with a second core the app's startup no longer waits for it. Until it is done a thread's
   * {@code run} does not attach a captured span, which no task created before the app's first span
   * carries anyway.
   */
  public static void installAtLaunch(final Instrumentation instrumentation, List<InstrumentationModule> modules) {
    final Installer installer = new Installer(modules);
    instrumentation.addTransformer(installer, instrumentation.isRetransformClassesSupported());
    // Chosen now, so that what the app loads from here on (woven as it loads) is not woven twice.
    final List<Class<?>> loaded = installer.loadedCandidates(instrumentation);
    if (loaded.isEmpty()) {
      return;
    }
    Thread thread = new Thread(new Runnable() {
      @Override
      public void run() {
        retransform(instrumentation, loaded);
      }
    }, "wandb-agent-retransform");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classFile) {
    if (!AgentLog.isDebug()) {
      return transformClass(loader, className, classFile);
    }
    return Cost.measured(this, loader, className, classFile);
  }

  /**
   * What the transformer costs the threads that load classes, counted with wandb.debug only (reading a
   * thread's CPU clock is not free): the transformer's share of startup (docs/performance.md).
   */
  static final class Cost {
    private static final java.util.concurrent.atomic.AtomicLong CALLS = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong WOVEN = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong CPU_NANOS = new java.util.concurrent.atomic.AtomicLong();
    /** Classes the agent loads while transforming are transformed too: only the outermost call counts. */
    private static final ThreadLocal<boolean[]> INSIDE = new ThreadLocal<boolean[]>() {
      @Override
      protected boolean[] initialValue() {
        return new boolean[1];
      }
    };

    private Cost() {}

    static byte[] measured(Installer installer, ClassLoader loader, String className, byte[] classFile) {
      boolean[] inside = INSIDE.get();
      if (inside[0]) {
        return installer.transformClass(loader, className, classFile);
      }
      inside[0] = true;
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long began = threads.getCurrentThreadCpuTime();
      byte[] woven = null;
      try {
        woven = installer.transformClass(loader, className, classFile);
        return woven;
      } finally {
        CPU_NANOS.addAndGet(threads.getCurrentThreadCpuTime() - began);
        CALLS.incrementAndGet();
        if (woven != null) {
          WOVEN.incrementAndGet();
        }
        inside[0] = false;
      }
    }
  }

  /** One debug line: how many classes the transformer saw and wove, and the CPU time it took on their threads. */
  public static String costSummary() {
    return String.format("class-file transformer: %d classes seen, %d woven, %.1f ms CPU on the loading threads",
        Cost.CALLS.get(), Cost.WOVEN.get(), Cost.CPU_NANOS.get() / 1e6);
  }

  private byte[] transformClass(ClassLoader loader, String className, byte[] classFile) {
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
      // A module's targets share its gate, its library's name and the class's header: each is looked at once per class.
      ClassLoaderGate checkedGate = null;
      boolean gateOpen = false;
      int superTypes = NOT_READ;
      String checkedMention = null;
      boolean mentioned = false;
      int[] named = namedTargets.get(className);
      int n = 0;
      int r = 0;
      // Both position lists in ascending order, merged: targets are looked at in the order of the modules.
      while (r < ruleTargets.length || (named != null && n < named.length)) {
        Target target = targets.get(named == null || n == named.length
            || (r < ruleTargets.length && ruleTargets[r] < named[n]) ? ruleTargets[r++] : named[n++]);
        TypeMatcher.Rule rule = target.matcher.candidate(className);
        if (rule == null) {
          continue;
        }
        if (target.gate != checkedGate) {
          checkedGate = target.gate;
          gateOpen = checkedGate.matches(loader);
        }
        if (!gateOpen || !rule.fitsClassFile(className, classFile)) {
          continue;
        }
        if (rule.superType != null) {
          if (rule.mention != null) {
            if (checkedMention == null || !checkedMention.equals(rule.mention.text)) {
              checkedMention = rule.mention.text;
              mentioned = rule.mention.isIn(className, classFile);
            }
            if (!mentioned) {
              continue;
            }
          }
          if (superTypes == NOT_READ) {
            superTypes = hierarchy.superTypes(loader, className, classFile) | Target.READ;
          }
          if (!target.isImplementation(rule, superTypes)) {
            continue;
          }
        }
        if (advice == null) {
          advice = new ArrayList<MethodAdvice>();
        }
        advice.addAll(target.advice(className, classFile));
        if (!target.bridged.isEmpty()) {
          if (bridged == null) {
            bridged = new ArrayList<BridgeAdvice>();
          }
          bridged.addAll(target.bridged);
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
    retransform(instrumentation, loadedCandidates(instrumentation));
  }

  private List<Class<?>> loadedCandidates(Instrumentation instrumentation) {
    List<Class<?>> candidates = new ArrayList<Class<?>>();
    if (!instrumentation.isRetransformClassesSupported()) {
      return candidates;
    }
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      boolean candidate = type.getClassLoader() != null
          ? mayTake(type)
          : jdkClasses.containsKey(type.getName().replace('.', '/'));
      if (candidate && instrumentation.isModifiableClass(type)) {
        candidates.add(type);
      }
    }
    return candidates;
  }

  private static void retransform(Instrumentation instrumentation, List<Class<?>> types) {
    for (Class<?> type : types) {
      try {
        instrumentation.retransformClasses(type);
      } catch (Throwable t) {
        AgentLog.debug("could not instrument the loaded " + type.getName() + ", it runs untraced: " + t);
      }
    }
  }

  private boolean mayTake(Class<?> type) {
    String internalName = type.getName().replace('.', '/');
    int superTypes = NOT_READ;
    for (Target target : targets) {
      TypeMatcher.Rule rule = target.matcher.candidate(internalName);
      if (rule == null) {
        continue;
      }
      // The gate too, and a rule that fits every name (classes carrying an annotation) reads the class
      // file first: retransforming every loaded class of an app to find a few would cost seconds.
      if (!target.gate.matches(type.getClassLoader())) {
        continue;
      }
      if (rule.anyOf != null) {
        byte[] classFile = TypeHierarchy.read(type.getClassLoader(), internalName);
        if (classFile != null && rule.fitsClassFile(internalName, classFile)) {
          return true;
        }
        continue;
      }
      if (rule.superType == null) {
        return true;
      }
      if (superTypes == NOT_READ) {
        superTypes = hierarchy.superTypes(type) | (type.isInterface() ? TypeHierarchy.INTERFACE : 0) | Target.READ;
      }
      if (target.isImplementation(rule, superTypes)) {
        return true;
      }
    }
    return false;
  }

  /** One type instrumentation behind its module's gate. */
  private static final class Target {
    /** Marks a header as read, so that "no watched super type" differs from {@link #NOT_READ}. */
    static final int READ = 1 << 30;

    final ClassLoaderGate gate;
    final TypeMatcher matcher;
    private final TypeInstrumentation type;
    /**
     * Made at the first class this target weaves, not in premain: most targets never match, and making
     * their advice loaded their hook classes from the agent jar on the app's main thread before it started
     * (~60 classes, a fifth of premain's class loading).
     */
    private List<MethodAdvice> advice;
    final List<BridgeAdvice> bridged;
    final ClassFileInstrumentation perClassFile;
    /** The super types the matcher's rules ask for, and their bits in {@link TypeHierarchy#superTypes}. */
    private final List<String> superTypes = new ArrayList<String>();
    private final List<Integer> bits = new ArrayList<Integer>();

    Target(ClassLoaderGate gate, TypeInstrumentation type, TypeHierarchy hierarchy) {
      this.gate = gate;
      this.matcher = type.typeMatcher();
      this.type = type;
      this.bridged = type.bridgeAdvice();
      this.perClassFile = type instanceof ClassFileInstrumentation ? (ClassFileInstrumentation) type : null;
      for (String superType : matcher.superTypes()) {
        superTypes.add(superType);
        bits.add(hierarchy.watch(superType));
      }
    }

    List<MethodAdvice> advice(String internalName, byte[] classFile) {
      if (perClassFile != null) {
        return perClassFile.methodAdvice(internalName.replace('/', '.'), classFile);
      }
      synchronized (this) {
        if (advice == null) {
          advice = type.methodAdvice();
        }
        return advice;
      }
    }

    /** A class (not an interface) with the rule's super type. */
    boolean isImplementation(TypeMatcher.Rule rule, int superTypesOfClass) {
      int bit = bits.get(superTypes.indexOf(rule.superType));
      return (superTypesOfClass & TypeHierarchy.INTERFACE) == 0 && (superTypesOfClass & bit) != 0;
    }
  }
}
