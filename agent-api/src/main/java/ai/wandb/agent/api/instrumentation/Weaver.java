package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.AgentLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites one class file so that each method an advice selects calls {@link Hooks#enter} first and
 * {@link Hooks#exit} at every return and when its body throws (see {@link HookedMethod}). The class keeps
 * its shape (no member is added), so the same rewrite also serves retransformation; methods no advice
 * selects are copied as they are.
 */
final class Weaver {
  private Weaver() {}

  /** The woven class file, or null when no method of it was selected. */
  static byte[] weave(byte[] classFile, String binaryName, List<MethodAdvice> advice) {
    return weave(classFile, binaryName, advice, java.util.Collections.<BridgeAdvice>emptyList());
  }

  /** Also applies bridged advice (see {@link BridgeAdvice}); a class file older than Java 11 gets none of it. */
  static byte[] weave(byte[] classFile, String binaryName, List<MethodAdvice> advice, List<BridgeAdvice> bridged) {
    ClassReader reader = new ClassReader(classFile);
    int version = reader.readInt(4) & 0xFFFF;
    Map<String, int[]> bridgedMethods = null;
    if (!bridged.isEmpty()) {
      if (version < Opcodes.V11) {
        AgentLog.debug("not instrumenting " + binaryName + ": its class file predates Java 11 (no dynamic"
            + " constants to reach the agent with), so it runs untraced");
      } else {
        bridgedMethods = FirstPass.of(reader, bridged);
      }
    }
    List<MethodAdvice> aroundCalls = new ArrayList<MethodAdvice>();
    for (MethodAdvice candidate : advice) {
      if (candidate.isAroundCalls()) {
        aroundCalls.add(candidate);
      }
    }
    Map<String, int[]> hookedCallers = null;
    if (!aroundCalls.isEmpty()) {
      // Woven calls need stack map frames, which class files have from Java 6 on.
      hookedCallers = version < Opcodes.V1_6 ? new HashMap<String, int[]>() : FirstPass.ofCalls(reader, aroundCalls);
    }
    // Only the stack and local sizes are recomputed: frames are written by hand, so no class is loaded
    // to find common super classes while the JVM is defining this one.
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    AdvisedClass advised = new AdvisedClass(writer, binaryName, advice, bridged, bridgedMethods, aroundCalls,
        hookedCallers);
    reader.accept(advised, ClassReader.EXPAND_FRAMES);
    return advised.woven == 0 ? null : writer.toByteArray();
  }

  static BridgeAdvice selectBridged(List<BridgeAdvice> bridged, int access, String name, Type[] argumentTypes) {
    String[] typeNames = typeNames(argumentTypes);
    for (BridgeAdvice candidate : bridged) {
      if (candidate.methods().matches(access, name, typeNames)) {
        return candidate;
      }
    }
    return null;
  }

  static String[] typeNames(Type[] argumentTypes) {
    String[] typeNames = new String[argumentTypes.length];
    for (int i = 0; i < argumentTypes.length; i++) {
      typeNames[i] = argumentTypes[i].getClassName();
    }
    return typeNames;
  }

  /** Every advice of {@code aroundCalls} that selects the method, in order (each wraps calls of its own method). */
  static List<MethodAdvice> selectCalls(List<MethodAdvice> aroundCalls, int access, String name,
      Type[] argumentTypes) {
    String[] typeNames = typeNames(argumentTypes);
    List<MethodAdvice> selected = new ArrayList<MethodAdvice>();
    for (MethodAdvice candidate : aroundCalls) {
      if (candidate.methods().matches(access, name, typeNames)) {
        selected.add(candidate);
      }
    }
    return selected;
  }

  /**
   * What weaving in the middle of a method (bridged advice, hooked calls) must know before it sees the
   * method's code: the first local slot the method does not use, and how many calls it wraps (their try
   * blocks go first in the exception table), per advice that selects it for hooked calls.
   */
  private static final class FirstPass extends ClassVisitor {
    private final List<BridgeAdvice> bridged;
    private final List<MethodAdvice> aroundCalls;
    final Map<String, int[]> methods = new HashMap<String, int[]>();

    private FirstPass(List<BridgeAdvice> bridged, List<MethodAdvice> aroundCalls) {
      super(Opcodes.ASM9);
      this.bridged = bridged;
      this.aroundCalls = aroundCalls;
    }

    static Map<String, int[]> of(ClassReader reader, List<BridgeAdvice> bridged) {
      return run(reader, new FirstPass(bridged, null));
    }

    static Map<String, int[]> ofCalls(ClassReader reader, List<MethodAdvice> aroundCalls) {
      return run(reader, new FirstPass(null, aroundCalls));
    }

    private static Map<String, int[]> run(ClassReader reader, FirstPass pass) {
      reader.accept(pass, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
      return pass.methods;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, final String descriptor, String signature,
        String[] exceptions) {
      if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
        return null;
      }
      Type[] argumentTypes = Type.getArgumentTypes(descriptor);
      final BridgeAdvice selected = bridged == null ? null : selectBridged(bridged, access, name, argumentTypes);
      final List<MethodAdvice> calls = aroundCalls == null ? java.util.Collections.<MethodAdvice>emptyList()
          : selectCalls(aroundCalls, access, name, argumentTypes);
      if (selected == null && calls.isEmpty()) {
        return null;
      }
      // Bridged advice: {first free local, calls}; hooked calls: {first free local, calls of each advice...}.
      final int[] localsAndCalls = new int[selected != null ? 2 : 1 + calls.size()];
      methods.put(name + descriptor, localsAndCalls);
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitMethodInsn(int opcode, String owner, String called, String calledDescriptor, boolean itf) {
          if (selected != null) {
            if (selected.isAroundCalls() && selected.calls(owner, called, calledDescriptor)) {
              localsAndCalls[1]++;
            }
            return;
          }
          for (int i = 0; i < calls.size(); i++) {
            if (opcode != Opcodes.INVOKESTATIC && calls.get(i).calls(owner, called, calledDescriptor)) {
              localsAndCalls[1 + i]++;
            }
          }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
          localsAndCalls[0] = maxLocals;
        }
      };
    }
  }

  private static final class AdvisedClass extends ClassVisitor {
    private final String binaryName;
    private final List<MethodAdvice> advice;
    private final List<BridgeAdvice> bridged;
    private final Map<String, int[]> bridgedMethods;
    private final List<MethodAdvice> aroundCalls;
    private final Map<String, int[]> hookedCallers;
    private final Map<String, FieldRef> fields = new HashMap<String, FieldRef>();
    private String owner;
    private boolean framesExpected;
    int woven;

    AdvisedClass(ClassVisitor next, String binaryName, List<MethodAdvice> advice, List<BridgeAdvice> bridged,
        Map<String, int[]> bridgedMethods, List<MethodAdvice> aroundCalls, Map<String, int[]> hookedCallers) {
      super(Opcodes.ASM9, next);
      this.binaryName = binaryName;
      this.advice = advice;
      this.bridged = bridged;
      this.bridgedMethods = bridgedMethods;
      this.aroundCalls = aroundCalls;
      this.hookedCallers = hookedCallers;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
      owner = name;
      // Class files from Java 6 on carry stack map frames; older ones are verified without them.
      framesExpected = (version & 0xFFFF) >= Opcodes.V1_6;
      super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
      // The class reader visits every field before the first method.
      fields.put(name, new FieldRef(name, descriptor, (access & Opcodes.ACC_STATIC) != 0));
      return super.visitField(access, name, descriptor, signature, value);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
      if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
        return next;
      }
      Type[] argumentTypes = Type.getArgumentTypes(descriptor);
      int[] localsAndCalls = bridgedMethods == null ? null : bridgedMethods.get(name + descriptor);
      if (localsAndCalls != null) {
        BridgeAdvice chosen = selectBridged(bridged, access, name, argumentTypes);
        if (!chosen.isAroundCalls() || localsAndCalls[1] > 0) {
          woven++;
          return BridgedMethod.create(next, owner, access, name, descriptor, chosen, localsAndCalls[0],
              localsAndCalls[1]);
        }
      }
      MethodVisitor hooked = methodHooked(next, access, name, descriptor, argumentTypes);
      int[] caller = hookedCallers == null ? null : hookedCallers.get(name + descriptor);
      if (caller == null) {
        return hooked;
      }
      List<MethodAdvice> selected = selectCalls(aroundCalls, access, name, argumentTypes);
      // One weaving per advice, the first one seeing the code first. Each adds its locals above those of
      // the ones before it, which it sees as the method's own.
      int[] firstLocals = new int[selected.size()];
      int firstFree = caller[0];
      for (int i = 0; i < selected.size(); i++) {
        firstLocals[i] = firstFree;
        if (caller[1 + i] > 0) {
          firstFree += 2 + selected.get(i).calledArgumentCount();
        }
      }
      MethodVisitor woven = hooked;
      for (int i = selected.size() - 1; i >= 0; i--) {
        if (caller[1 + i] == 0) {
          continue;
        }
        MethodAdvice calls = selected.get(i);
        // The site is the calling method; the hook's arguments are the call's.
        HookSite hookSite = new HookSite(binaryName, name, calls.calledArgumentCount(), calls.hook());
        int site = Hooks.register(hookSite);
        calls.hook().woven(hookSite);
        this.woven++;
        // In front of the method's own hook, if any: that one's local renumbering then also covers the
        // locals the woven calls add, and its frames.
        woven = HookedCalls.create(woven, owner, access, name, descriptor, calls, site, firstLocals[i], caller[1 + i]);
      }
      return woven;
    }

    /** {@code next} behind the method's own advice ({@link HookedMethod}), or {@code next} when it has none. */
    private MethodVisitor methodHooked(MethodVisitor next, int access, String name, String descriptor,
        Type[] argumentTypes) {
      MethodAdvice selected = select(access, name, argumentTypes);
      if (selected == null) {
        return next;
      }
      FieldRef[] read = new FieldRef[selected.fields().length];
      for (int i = 0; i < read.length; i++) {
        read[i] = fields.get(selected.fields()[i]);
        if (read[i] == null || (!read[i].isStatic && (access & Opcodes.ACC_STATIC) != 0)) {
          AgentLog.debug("not instrumenting " + binaryName + "." + name + ": it has no field "
              + selected.fields()[i] + " in this version, so it runs untraced");
          return next;
        }
      }
      HookSite hookSite = new HookSite(binaryName, name, argumentTypes.length, selected.hook());
      int site = Hooks.register(hookSite);
      selected.hook().woven(hookSite);
      woven++;
      return new HookedMethod(next, access, name, descriptor, owner, site, read, selected.writableArguments(),
          framesExpected);
    }

    /**
     * The advice for a method. When several select it, their hooks run as one {@link HookChain}, unless
     * one of them reads fields or replaces arguments, which only a method's sole advice may: then the
     * first one alone.
     */
    private MethodAdvice select(int access, String name, Type[] argumentTypes) {
      String[] typeNames = typeNames(argumentTypes);
      MethodAdvice first = null;
      List<MethodHook> hooks = null;
      for (MethodAdvice candidate : advice) {
        if (candidate.isAroundCalls() || !candidate.methods().matches(access, name, typeNames)) {
          continue;
        }
        if (first == null) {
          first = candidate;
          continue;
        }
        if (first.fields().length > 0 || first.writableArguments().length > 0 || candidate.fields().length > 0
            || candidate.writableArguments().length > 0) {
          AgentLog.debug("two advices for " + binaryName + "." + name + " where one reads fields or writes"
              + " arguments: only the first applies");
          return first;
        }
        if (hooks == null) {
          hooks = new ArrayList<MethodHook>();
          hooks.add(first.hook());
        }
        hooks.add(candidate.hook());
      }
      if (hooks == null) {
        return first;
      }
      return new MethodAdvice(first.methods(), new HookChain(hooks.toArray(new MethodHook[0])));
    }
  }

  static final class FieldRef {
    final String name;
    final String descriptor;
    final boolean isStatic;

    FieldRef(String name, String descriptor, boolean isStatic) {
      this.name = name;
      this.descriptor = descriptor;
      this.isStatic = isStatic;
    }
  }
}
