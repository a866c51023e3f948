package ai.wandb.agent.api.instrumentation;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AnalyzerAdapter;

/**
 * The code {@link BridgeAdvice} weaves into one method. {@code BRIDGE} is a dynamic constant, the
 * method handle of {@link Hooks#bridge} found from the system class loader; each use of it is guarded,
 * and later uses only run once an earlier one returned (the constant is resolved by then).
 *
 * <pre>
 * // at entry (for a constructor, right after its super(...) call)
 * try { BRIDGE.invokeExact(valueOrThis, SITE); } catch (Throwable ignored) {}
 *
 * // each call receiver.m() of the selected method, in place
 * Object token = null;
 * try { token = BRIDGE.invokeExact(receiver, BEFORE); } catch (Throwable ignored) {}
 * try { [result =] receiver.m(); }                   // first in the exception table
 * catch (Throwable t) { if (token != null) BRIDGE.invokeExact(token, AFTER); throw t; }
 * if (token != null) BRIDGE.invokeExact(token, AFTER);
 * </pre>
 *
 * Frames are written from what an {@link AnalyzerAdapter} in front of this visitor knows at each
 * instruction ({@link StackFrames}), and the two added locals go above the method's own ({@code firstFreeLocal}, from a first
 * pass), so no class is loaded and the method's own locals keep their slots. The try blocks are
 * registered before the method's own (their labels are made up front from the first pass's count), so
 * the restore sees an exception before any handler of the method does.
 */
final class BridgedMethod extends MethodVisitor {
  private static final String BRIDGE_TYPE = "(Ljava/lang/Object;I)Ljava/lang/Object;";
  private static final String THROWABLE = "java/lang/Throwable";
  private static final String OBJECT = "java/lang/Object";
  private static final Handle INVOKE = new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/ConstantBootstraps",
      "invoke", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;"
          + "Ljava/lang/invoke/MethodHandle;[Ljava/lang/Object;)Ljava/lang/Object;", false);
  /** ClassLoader.getSystemClassLoader().loadClass(Hooks) looked up with findStatic, built from constants. */
  static final ConstantDynamic BRIDGE = new ConstantDynamic("bridge", "Ljava/lang/invoke/MethodHandle;", INVOKE,
      new Handle(Opcodes.H_INVOKEVIRTUAL, "java/lang/invoke/MethodHandles$Lookup", "findStatic",
          "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;", false),
      new ConstantDynamic("lookup", "Ljava/lang/invoke/MethodHandles$Lookup;", INVOKE,
          new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "publicLookup",
              "()Ljava/lang/invoke/MethodHandles$Lookup;", false)),
      new ConstantDynamic("hooks", "Ljava/lang/Class;", INVOKE,
          new Handle(Opcodes.H_INVOKEVIRTUAL, "java/lang/ClassLoader", "loadClass",
              "(Ljava/lang/String;)Ljava/lang/Class;", false),
          new ConstantDynamic("loader", "Ljava/lang/ClassLoader;", INVOKE,
              new Handle(Opcodes.H_INVOKESTATIC, "java/lang/ClassLoader", "getSystemClassLoader",
                  "()Ljava/lang/ClassLoader;", false)),
          Hooks.class.getName()),
      "bridge", Type.getMethodType(BRIDGE_TYPE));

  private final String owner;
  private final BridgeAdvice advice;
  private final boolean constructor;
  private final int entrySlot;
  private final int entrySite;
  private final int beforeSite;
  private final int afterSite;
  private final int receiverLocal;
  private final int tokenLocal;
  private final List<Label[]> callBlocks = new ArrayList<Label[]>();
  private final List<Runnable> handlers = new ArrayList<Runnable>();
  private final Label[] entryBlock = {new Label(), new Label(), new Label()};
  private AnalyzerAdapter frames;
  private boolean entryWoven;
  private int calls;

  /** Returns the visitor to hand the method's code to (the analyzer in front of the weaving). */
  static MethodVisitor create(MethodVisitor next, String owner, int access, String name, String descriptor,
      BridgeAdvice advice, int firstFreeLocal, int callCount) {
    BridgedMethod woven = new BridgedMethod(next, owner, access, name, descriptor, advice, firstFreeLocal, callCount);
    woven.frames = new AnalyzerAdapter(owner, access, name, descriptor, woven);
    return woven.frames;
  }

  private BridgedMethod(MethodVisitor next, String owner, int access, String name, String descriptor,
      BridgeAdvice advice, int firstFreeLocal, int callCount) {
    super(Opcodes.ASM9, next);
    this.owner = owner;
    this.advice = advice;
    this.constructor = "<init>".equals(name);
    this.receiverLocal = firstFreeLocal;
    this.tokenLocal = firstFreeLocal + 1;
    if (advice.isAroundCalls()) {
      entrySlot = -1;
      entrySite = -1;
      beforeSite = Hooks.registerBridge(advice.first());
      afterSite = Hooks.registerBridge(advice.second());
      for (int i = 0; i < callCount; i++) {
        callBlocks.add(new Label[] {new Label(), new Label(), new Label(), new Label(), new Label(), new Label()});
      }
    } else {
      entrySlot = slotOf(access, descriptor, advice.argument());
      entrySite = Hooks.registerBridge(advice.first());
      beforeSite = -1;
      afterSite = -1;
    }
  }

  /** The local slot of argument {@code index} ({@link BridgeAdvice#THIS} is slot 0); it must be a reference. */
  private static int slotOf(int access, String descriptor, int index) {
    boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
    if (index == BridgeAdvice.THIS) {
      if (isStatic) {
        throw new IllegalArgumentException("a static method has no this");
      }
      return 0;
    }
    Type[] arguments = Type.getArgumentTypes(descriptor);
    int slot = isStatic ? 0 : 1;
    for (int i = 0; i < index; i++) {
      slot += arguments[i].getSize();
    }
    int sort = arguments[index].getSort();
    if (sort != Type.OBJECT && sort != Type.ARRAY) {
      throw new IllegalArgumentException("argument " + index + " of " + descriptor + " is not a reference");
    }
    return slot;
  }

  @Override
  public void visitCode() {
    super.visitCode();
    // Registered before the method's own try blocks (the reader visits them next): first in the table.
    if (entrySite >= 0) {
      mv.visitTryCatchBlock(entryBlock[0], entryBlock[1], entryBlock[2], THROWABLE);
    }
    for (Label[] block : callBlocks) {
      mv.visitTryCatchBlock(block[0], block[1], block[2], THROWABLE);
      mv.visitTryCatchBlock(block[3], block[4], block[5], THROWABLE);
    }
    if (entrySite >= 0 && !constructor) {
      weaveEntry(locals(false));
    }
  }

  @Override
  public void visitMethodInsn(int opcode, String calledOwner, String name, String descriptor, boolean isInterface) {
    if (entrySite >= 0 && constructor && !entryWoven && opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name)
        && receiverIsUninitializedThis(descriptor)) {
      List<Object> stackBefore = frames.stack;
      int remaining = stackBefore.size() - 1 - argumentSlots(descriptor);
      super.visitMethodInsn(opcode, calledOwner, name, descriptor, isInterface);
      if (remaining != 0) {
        throw new IllegalStateException("super(...) is not a statement of its own in " + owner);
      }
      weaveEntry(locals(true));
      return;
    }
    if (advice.isAroundCalls() && advice.calls(calledOwner, name, descriptor)) {
      weaveCall(opcode, calledOwner, name, descriptor, isInterface);
      return;
    }
    super.visitMethodInsn(opcode, calledOwner, name, descriptor, isInterface);
  }

  private boolean receiverIsUninitializedThis(String descriptor) {
    List<Object> stack = frames.stack;
    int index = stack == null ? -1 : stack.size() - 1 - argumentSlots(descriptor);
    return index >= 0 && stack.get(index) == Opcodes.UNINITIALIZED_THIS;
  }

  private static int argumentSlots(String descriptor) {
    return (Type.getArgumentsAndReturnSizes(descriptor) >> 2) - 1;
  }

  private void weaveEntry(final Object[] locals) {
    entryWoven = true;
    final Label resume = new Label();
    mv.visitLabel(entryBlock[0]);
    callBridge(entrySlot, entrySite);
    mv.visitInsn(Opcodes.POP);
    mv.visitLabel(entryBlock[1]);
    mv.visitLabel(resume);
    frame(locals, new Object[0]);
    // A frame of the method's own may follow at its first instruction: two at one offset are invalid.
    mv.visitInsn(Opcodes.NOP);
    handlers.add(new Runnable() {
      @Override
      public void run() {
        mv.visitLabel(entryBlock[2]);
        frame(locals, new Object[] {THROWABLE});
        mv.visitInsn(Opcodes.POP);
        mv.visitJumpInsn(Opcodes.GOTO, resume);
      }
    });
  }

  private void weaveCall(int opcode, String calledOwner, String name, String descriptor, boolean isInterface) {
    List<Object> stack = frames.stack;
    if (stack == null || stack.size() != 1 || calls >= callBlocks.size()) {
      throw new IllegalStateException("a call of " + name + " in " + owner + " is not a statement of its own");
    }
    final Label[] block = callBlocks.get(calls++);
    Object receiverType = stack.get(0);
    final Object[] frameLocals = StackFrames.withAdded(locals(false), receiverLocal, receiverType, OBJECT);
    final Label resume = new Label();
    Label done = new Label();
    Label rethrow = new Label();
    Type returned = Type.getReturnType(descriptor);
    Object[] result = returned.getSort() == Type.VOID ? new Object[0] : new Object[] {StackFrames.frameType(returned)};

    mv.visitVarInsn(Opcodes.ASTORE, receiverLocal);
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitVarInsn(Opcodes.ASTORE, tokenLocal);
    mv.visitLabel(block[0]);
    callBridge(receiverLocal, beforeSite);
    mv.visitVarInsn(Opcodes.ASTORE, tokenLocal);
    mv.visitLabel(block[1]);
    mv.visitLabel(resume);
    frame(frameLocals, new Object[0]);
    mv.visitVarInsn(Opcodes.ALOAD, receiverLocal);
    mv.visitLabel(block[3]);
    super.visitMethodInsn(opcode, calledOwner, name, descriptor, isInterface);
    mv.visitLabel(block[4]);
    callAfter(done);
    mv.visitJumpInsn(Opcodes.GOTO, done);
    // The restore on a throw stays in line: its rethrow is then covered by the method's own handlers of
    // the call, which see the exception as they would without the agent.
    mv.visitLabel(block[5]);
    frame(frameLocals, new Object[] {THROWABLE});
    callAfter(rethrow);
    mv.visitLabel(rethrow);
    frame(frameLocals, new Object[] {THROWABLE});
    mv.visitInsn(Opcodes.ATHROW);
    mv.visitLabel(done);
    frame(frameLocals, result);
    mv.visitInsn(Opcodes.NOP);

    // The failed before hook leaves nothing to restore: on to the call.
    handlers.add(new Runnable() {
      @Override
      public void run() {
        mv.visitLabel(block[2]);
        frame(frameLocals, new Object[] {THROWABLE});
        mv.visitInsn(Opcodes.POP);
        mv.visitJumpInsn(Opcodes.GOTO, resume);
      }
    });
  }

  /** {@code if (token != null) BRIDGE.invokeExact(token, AFTER);}, skipping to {@code skip}. */
  private void callAfter(Label skip) {
    mv.visitVarInsn(Opcodes.ALOAD, tokenLocal);
    mv.visitJumpInsn(Opcodes.IFNULL, skip);
    callBridge(tokenLocal, afterSite);
    mv.visitInsn(Opcodes.POP);
  }

  private void callBridge(int valueLocal, int site) {
    mv.visitLdcInsn(BRIDGE);
    mv.visitVarInsn(Opcodes.ALOAD, valueLocal);
    mv.visitLdcInsn(site);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact", BRIDGE_TYPE, false);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    if (calls != callBlocks.size() || (entrySite >= 0 && !entryWoven)) {
      // The try blocks registered up front need their labels: better untraced than half woven.
      throw new IllegalStateException("the first pass saw other code in " + owner);
    }
    for (Runnable handler : handlers) {
      handler.run();
    }
    super.visitMaxs(maxStack, maxLocals);
  }

  private void frame(Object[] locals, Object[] stack) {
    StackFrames.frame(mv, locals, stack);
  }

  private Object[] locals(boolean thisInitialized) {
    return StackFrames.entries(frames.locals, owner, thisInitialized);
  }
}
