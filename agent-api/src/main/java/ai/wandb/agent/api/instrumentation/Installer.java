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
 *
 * <p>At launch, a module whose library the application class loader does not have (google-genai in an
 * openai-java app, every library of a Spring Boot fat jar) is not made until a class loader that passes
 * its gate loads its first class: its rules apply on no other loader anyway, and making every module's
 * type instrumentations in premain loaded their classes on the app's main thread before it started.
 */
public final class Installer implements ClassFileTransformer {
  /** No class header was read for this class yet. */
  private static final int NOT_READ = 0;

  /** What the transformer matches classes against: replaced, never changed, when a module is made. */
  private volatile Index index;
  /** The modules made so far, in order. Guarded by {@code this}. */
  private final List<ModuleEntry> made = new ArrayList<ModuleEntry>();
  /** The modules not made yet (their library was not on the application class path at launch). Guarded by {@code this}. */
  private final List<ModuleEntry> waiting = new ArrayList<ModuleEntry>();
  private volatile boolean anyWaiting;

  private Installer(List<InstrumentationModule> modules, boolean deferAbsentLibraries) {
    ClassLoader application = ClassLoader.getSystemClassLoader();
    for (InstrumentationModule module : modules) {
      ModuleEntry entry = new ModuleEntry(module);
      if (deferAbsentLibraries && !module.classLoaderMarkers().isEmpty() && !entry.gate.matches(application)) {
        waiting.add(entry);
      } else {
        entry.make();
        made.add(entry);
      }
    }
    anyWaiting = !waiting.isEmpty();
    index = new Index(made);
  }

  /** Returns the installed transformer; tests remove it with {@link Instrumentation#removeTransformer}. */
  public static ClassFileTransformer install(Instrumentation instrumentation, List<InstrumentationModule> modules) {
    Installer installer = new Installer(modules, false);
    instrumentation.addTransformer(installer, instrumentation.isRetransformClassesSupported());
    retransform(instrumentation, installer.index.loadedCandidates(instrumentation));
    return installer;
  }

  /**
   * As {@link #install}, for premain: what the JVM loaded before the agent ({@code java.lang.Thread}) is
   * retransformed on a daemon thread, while the app's main thread goes on. Reading and weaving
   * {@code Thread} and redefining it was the largest part of premain (loading ASM with it); on a
   * machine with a second core the app's startup no longer waits for it. Until it is done a thread's
   * {@code run} does not attach a captured span, which no task created before the app's first span
   * carries anyway. Modules whose library the application class loader lacks are made later (see above).
   */
  public static ClassFileTransformer installAtLaunch(final Instrumentation instrumentation,
      List<InstrumentationModule> modules) {
    final Installer installer = new Installer(modules, true);
    instrumentation.addTransformer(installer, instrumentation.isRetransformClassesSupported());
    // Chosen now, so that what the app loads from here on (woven as it loads) is not woven twice.
    final List<Class<?>> loaded = installer.index.loadedCandidates(instrumentation);
    if (!loaded.isEmpty()) {
      Thread thread = new Thread(new Runnable() {
        @Override
        public void run() {
          retransform(instrumentation, loaded);
        }
      }, "wandb-agent-retransform");
      thread.setDaemon(true);
      thread.start();
    }
    return installer;
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
      List<BridgeAdvice> bridged = index.jdkClasses.get(className);
      return bridged == null ? null : weave(classFile, className, Collections.<MethodAdvice>emptyList(), bridged);
    }
    LoaderRules rules = rulesFor(loader);
    Index current = rules.index;
    int[] named = current.namedTargets.get(className);
    if (named == null && !rules.anyName && !current.fitsPrefixTarget(className)) {
      return null;
    }
    return current.match(loader, className, classFile, named, rules.positions);
  }

  private LoaderRules rulesFor(ClassLoader loader) {
    Index current = index;
    LoaderRules known = current.known(loader);
    if (known != null) {
      return known;
    }
    if (anyWaiting) {
      current = makeWaitingModules(loader);
    }
    return current.rules(loader);
  }

  /** Makes the waiting modules whose gate this loader (seen for the first time) passes; returns the index then. */
  private synchronized Index makeWaitingModules(ClassLoader loader) {
    boolean changed = false;
    // Over a copy: a gate's resource look-up may load a class, which comes back here on this thread.
    for (ModuleEntry entry : new ArrayList<ModuleEntry>(waiting)) {
      if (waiting.contains(entry) && entry.gate.matches(loader)) {
        entry.make();
        made.add(entry);
        waiting.remove(entry);
        changed = true;
        AgentLog.debug("instrumentation " + entry.module.name() + " made for class loader " + loader);
      }
    }
    if (changed) {
      index = new Index(made);
      anyWaiting = !waiting.isEmpty();
    }
    return index;
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

  private static void retransform(Instrumentation instrumentation, List<Class<?>> types) {
    for (Class<?> type : types) {
      try {
        instrumentation.retransformClasses(type);
      } catch (Throwable t) {
        AgentLog.debug("could not instrument the loaded " + type.getName() + ", it runs untraced: " + t);
      }
    }
  }

  /** A module, its gate, and once made its type instrumentations with their advice made on first use. */
  private static final class ModuleEntry {
    final InstrumentationModule module;
    final ClassLoaderGate gate;
    List<TypeInstrumentation> types;
    List<AdviceMemo> advice;

    ModuleEntry(InstrumentationModule module) {
      this.module = module;
      this.gate = new ClassLoaderGate(module.name(), module.classLoaderMarkers());
    }

    void make() {
      types = module.typeInstrumentations();
      advice = new ArrayList<AdviceMemo>();
      for (int i = 0; i < types.size(); i++) {
        advice.add(new AdviceMemo());
      }
    }
  }

  /**
   * A type instrumentation's method advice, made at the first class it weaves, not in premain: most
   * targets never match, and making their advice loaded their hook classes from the agent jar on the
   * app's main thread before it started (~60 classes, a fifth of premain's class loading). Kept across
   * indexes, so a module made later does not make the others' advice again.
   */
  private static final class AdviceMemo {
    private List<MethodAdvice> advice;

    synchronized List<MethodAdvice> of(TypeInstrumentation type) {
      if (advice == null) {
        advice = type.methodAdvice();
      }
      return advice;
    }
  }

  /** A class loader, weakly held, and the rule targets of one index its classes are looked at by. */
  private static final class LoaderRules {
    final java.lang.ref.WeakReference<ClassLoader> loader;
    final Index index;
    /** Positions, ascending. */
    final int[] positions;
    /** Whether one of them has a rule for any name, so that every class of the loader is looked at. */
    final boolean anyName;

    LoaderRules(ClassLoader loader, Index index, int[] positions, boolean anyName) {
      this.loader = new java.lang.ref.WeakReference<ClassLoader>(loader);
      this.index = index;
      this.positions = positions;
      this.anyName = anyName;
    }
  }

  /** The targets of the modules made, and how a class finds those that may take it. */
  private static final class Index {
    final List<Target> targets = new ArrayList<Target>();
    /**
     * Where each class's look-up starts: most targets name their classes exactly, so a class costs one
     * map look-up for those (the positions, ascending, of the targets naming it) plus a look at the few
     * targets with name rules ({@link #ruleTargets}), instead of a look at every target.
     */
    final Map<String, int[]> namedTargets = new HashMap<String, int[]>();
    /** Positions, ascending, of the targets with a name rule (a prefix, every implementation of an interface). */
    private final int[] ruleTargets;
    /** Positions of the rule targets whose rules all name a prefix: looked at only for classes it fits. */
    private final int[] prefixTargets;
    /**
     * Per class loader, the rule targets a class of it may be looked at by: those with a rule for any name
     * (every implementation of an interface, every class carrying an annotation) whose gate the loader
     * passes, and the prefix targets. On a loader without any such library (an openai-java app's) a class
     * costs the exact-name look-up, this one and the prefix tests, and the matching loop runs too seldom
     * to be compiled by C2 (its compilation was ~0.1 s of a compiler thread in a one-call app's start).
     */
    private final Map<ClassLoader, LoaderRules> loaderRules =
        Collections.synchronizedMap(new java.util.WeakHashMap<ClassLoader, LoaderRules>());
    /** The last loader asked about: classes come from one loader in runs. */
    private volatile LoaderRules lastLoader;
    /** Its own: the super types watched are those of its targets. */
    private final TypeHierarchy hierarchy = new TypeHierarchy();
    /**
     * The one exception to "no bootstrap class": JDK classes a type instrumentation names exactly and
     * gives bridged advice only (they cannot see {@link Hooks}), by internal name.
     */
    final Map<String, List<BridgeAdvice>> jdkClasses = new HashMap<String, List<BridgeAdvice>>();

    Index(List<ModuleEntry> modules) {
      for (ModuleEntry module : modules) {
        for (int t = 0; t < module.types.size(); t++) {
          TypeInstrumentation type = module.types.get(t);
          targets.add(new Target(module.gate, type, module.advice.get(t), hierarchy));
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
      List<Integer> prefixed = new ArrayList<Integer>();
      for (int i = 0; i < ruleTargets.length; i++) {
        ruleTargets[i] = withRules.get(i);
        if (!targets.get(ruleTargets[i]).matcher.hasRuleForAnyName()) {
          prefixed.add(ruleTargets[i]);
        }
      }
      prefixTargets = new int[prefixed.size()];
      for (int i = 0; i < prefixTargets.length; i++) {
        prefixTargets[i] = prefixed.get(i);
      }
    }

    LoaderRules known(ClassLoader loader) {
      LoaderRules last = lastLoader;
      if (last != null && last.loader.get() == loader) {
        return last;
      }
      LoaderRules rules = loaderRules.get(loader);
      if (rules != null) {
        lastLoader = rules;
      }
      return rules;
    }

    LoaderRules rules(ClassLoader loader) {
      int[] positions = new int[ruleTargets.length];
      int count = 0;
      boolean anyName = false;
      for (int position : ruleTargets) {
        Target target = targets.get(position);
        if (!target.matcher.hasRuleForAnyName()) {
          // Its gate is asked when a class fits its prefix: the library may join the loader later.
          positions[count++] = position;
        } else if (target.gate.matches(loader)) {
          positions[count++] = position;
          anyName = true;
        }
      }
      LoaderRules rules = new LoaderRules(loader, this, java.util.Arrays.copyOf(positions, count), anyName);
      loaderRules.put(loader, rules);
      lastLoader = rules;
      return rules;
    }

    boolean fitsPrefixTarget(String className) {
      for (int position : prefixTargets) {
        if (targets.get(position).matcher.candidate(className) != null) {
          return true;
        }
      }
      return false;
    }

    /** The targets that take this class, among those it is named by and the open rule targets; then the weave. */
    byte[] match(ClassLoader loader, String className, byte[] classFile, int[] named, int[] rules) {
      List<MethodAdvice> advice = null;
      List<BridgeAdvice> bridged = null;
      try {
        // A module's targets share its gate, its library's name and the class's header: each is looked at once per class.
        ClassLoaderGate checkedGate = null;
        boolean gateOpen = false;
        int superTypes = NOT_READ;
        String checkedMention = null;
        boolean mentioned = false;
        int n = 0;
        int r = 0;
        // Both position lists in ascending order, merged: targets are looked at in the order of the modules.
        while (r < rules.length || (named != null && n < named.length)) {
          Target target = targets.get(named == null || n == named.length
              || (r < rules.length && rules[r] < named[n]) ? rules[r++] : named[n++]);
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

    List<Class<?>> loadedCandidates(Instrumentation instrumentation) {
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
    private final AdviceMemo advice;
    final List<BridgeAdvice> bridged;
    final ClassFileInstrumentation perClassFile;
    /** The super types the matcher's rules ask for, and their bits in {@link TypeHierarchy#superTypes}. */
    private final List<String> superTypes = new ArrayList<String>();
    private final List<Integer> bits = new ArrayList<Integer>();

    Target(ClassLoaderGate gate, TypeInstrumentation type, AdviceMemo advice, TypeHierarchy hierarchy) {
      this.gate = gate;
      this.advice = advice;
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
      return advice.of(type);
    }

    /** A class (not an interface) with the rule's super type. */
    boolean isImplementation(TypeMatcher.Rule rule, int superTypesOfClass) {
      int bit = bits.get(superTypes.indexOf(rule.superType));
      return (superTypesOfClass & TypeHierarchy.INTERFACE) == 0 && (superTypesOfClass & bit) != 0;
    }
  }
}
