package ai.wandb.agent.api.instrumentation;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AnalyzerAdapter;

/**
 * The code {@link MethodAdvice#aroundCalls} weaves around each call of one method, in place. The
 * receiver and the arguments go to added locals; whatever lies below them on the operand stack (the
 * call may be an argument of another call) stays where it is:
 *
 * <pre>
 * Object state = Hooks.enter(new Object[] {arg0, ..., argN}, receiver, SITE);
 * try { result = receiver.m(arg0, ..., argN); }            // first in the exception table
 * catch (Throwable t) { Hooks.exit(null, t, state, receiver, SITE); throw t; }
 * result = (R) Hooks.exit(result, null, state, receiver, SITE);
 * </pre>
 *
 * As in {@link BridgedMethod}: frames come from an {@link AnalyzerAdapter} in front of this visitor, the
 * added locals go above the method's own ({@code firstFreeLocal}, from a first pass), the try blocks are
 * registered before the method's own and the handler stays in line, so the method's own handlers of the
 * call see the exception after the hook, as they would without the agent, and nothing wraps the callee.
 */
final class HookedCalls extends MethodVisitor {
  private static final String HOOKS = Type.getInternalName(Hooks.class);
  private static final String ENTER = "([Ljava/lang/Object;Ljava/lang/Object;I)Ljava/lang/Object;";
  private static final String EXIT =
      "(Ljava/lang/Object;Ljava/lang/Throwable;Ljava/lang/Object;Ljava/lang/Object;I)Ljava/lang/Object;";
  private static final String THROWABLE = "java/lang/Throwable";
  private static final String OBJECT = "java/lang/Object";

  private final String owner;
  private final MethodAdvice advice;
  private final int site;
  private final int receiverLocal;
  private final int stateLocal;
  private final List<Label[]> blocks = new ArrayList<Label[]>();
  private AnalyzerAdapter frames;
  private int calls;

  /** Returns the visitor to hand the method's code to (the analyzer in front of the weaving). */
  static MethodVisitor create(MethodVisitor next, String owner, int access, String name, String descriptor,
      MethodAdvice advice, int site, int firstFreeLocal, int callCount) {
    HookedCalls woven = new HookedCalls(next, owner, advice, site, firstFreeLocal, callCount);
    woven.frames = new AnalyzerAdapter(owner, access, name, descriptor, woven);
    return woven.frames;
  }

  private HookedCalls(MethodVisitor next, String owner, MethodAdvice advice, int site, int firstFreeLocal,
      int callCount) {
    super(Opcodes.ASM9, next);
    this.owner = owner;
    this.advice = advice;
    this.site = site;
    this.receiverLocal = firstFreeLocal;
    this.stateLocal = firstFreeLocal + 1;
    for (int i = 0; i < callCount; i++) {
      blocks.add(new Label[] {new Label(), new Label(), new Label()});
    }
  }

  @Override
  public void visitCode() {
    super.visitCode();
    // Registered before the method's own try blocks (the reader visits them next): first in the table.
    for (Label[] block : blocks) {
      mv.visitTryCatchBlock(block[0], block[1], block[2], THROWABLE);
    }
  }

  @Override
  public void visitMethodInsn(int opcode, String calledOwner, String name, String descriptor, boolean isInterface) {
    if (opcode != Opcodes.INVOKESTATIC && advice.calls(calledOwner, name, descriptor)) {
      weaveCall(opcode, calledOwner, name, descriptor, isInterface);
      return;
    }
    super.visitMethodInsn(opcode, calledOwner, name, descriptor, isInterface);
  }

  private void weaveCall(int opcode, String calledOwner, String name, String descriptor, boolean isInterface) {
    Type[] arguments = Type.getArgumentTypes(descriptor);
    List<Object> stack = frames.stack;
    int receiverSlot = stack == null ? -1 : stack.size() - 1 - arguments.length;
    if (receiverSlot < 0 || calls >= blocks.size()) {
      throw new IllegalStateException("the first pass saw other calls of " + name + " in " + owner);
    }
    Label[] block = blocks.get(calls++);
    Object receiverType = stack.get(receiverSlot);
    Object[] below = StackFrames.entries(stack.subList(0, receiverSlot), owner, false);
    Object[] locals = StackFrames.entries(frames.locals, owner, false);
    Object[] handlerLocals = StackFrames.withAdded(locals, receiverLocal, receiverType, OBJECT);
    Type returned = Type.getReturnType(descriptor);
    Object[] afterStack = below;
    if (returned.getSort() != Type.VOID) {
      afterStack = java.util.Arrays.copyOf(below, below.length + 1);
      afterStack[below.length] = StackFrames.frameType(returned);
    }

    // Receiver and arguments (all references) to locals above the method's own: state, then the arguments.
    for (int i = arguments.length - 1; i >= 0; i--) {
      mv.visitVarInsn(Opcodes.ASTORE, stateLocal + 1 + i);
    }
    mv.visitVarInsn(Opcodes.ASTORE, receiverLocal);
    if (arguments.length == 0) {
      mv.visitInsn(Opcodes.ACONST_NULL);
    } else {
      mv.visitLdcInsn(arguments.length);
      mv.visitTypeInsn(Opcodes.ANEWARRAY, OBJECT);
      for (int i = 0; i < arguments.length; i++) {
        mv.visitInsn(Opcodes.DUP);
        mv.visitLdcInsn(i);
        mv.visitVarInsn(Opcodes.ALOAD, stateLocal + 1 + i);
        mv.visitInsn(Opcodes.AASTORE);
      }
    }
    mv.visitVarInsn(Opcodes.ALOAD, receiverLocal);
    mv.visitLdcInsn(site);
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "enter", ENTER, false);
    mv.visitVarInsn(Opcodes.ASTORE, stateLocal);
    mv.visitVarInsn(Opcodes.ALOAD, receiverLocal);
    for (int i = 0; i < arguments.length; i++) {
      mv.visitVarInsn(Opcodes.ALOAD, stateLocal + 1 + i);
    }
    mv.visitLabel(block[0]);
    super.visitMethodInsn(opcode, calledOwner, name, descriptor, isInterface);
    mv.visitLabel(block[1]);
    if (returned.getSort() == Type.VOID) {
      mv.visitInsn(Opcodes.ACONST_NULL);
    }
    mv.visitInsn(Opcodes.ACONST_NULL);
    callExit();
    if (returned.getSort() == Type.VOID) {
      mv.visitInsn(Opcodes.POP);
    } else if (!returned.getInternalName().equals(OBJECT)) {
      mv.visitTypeInsn(Opcodes.CHECKCAST, returned.getSort() == Type.ARRAY ? returned.getDescriptor()
          : returned.getInternalName());
    }
    Label done = new Label();
    mv.visitJumpInsn(Opcodes.GOTO, done);
    mv.visitLabel(block[2]);
    StackFrames.frame(mv, handlerLocals, new Object[] {THROWABLE});
    mv.visitInsn(Opcodes.DUP);
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitInsn(Opcodes.SWAP);
    callExit();
    mv.visitInsn(Opcodes.POP);
    mv.visitInsn(Opcodes.ATHROW);
    mv.visitLabel(done);
    StackFrames.frame(mv, locals, afterStack);
    // A frame of the method's own may follow at the next instruction: two at one offset are invalid.
    mv.visitInsn(Opcodes.NOP);
  }

  /** Stack {@code returned, thrown} becomes the hook's result. */
  private void callExit() {
    mv.visitVarInsn(Opcodes.ALOAD, stateLocal);
    mv.visitVarInsn(Opcodes.ALOAD, receiverLocal);
    mv.visitLdcInsn(site);
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "exit", EXIT, false);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    if (calls != blocks.size()) {
      // The try blocks registered up front need their labels: better untraced than half woven.
      throw new IllegalStateException("the first pass saw other code in " + owner);
    }
    super.visitMaxs(maxStack, maxLocals);
  }
}
