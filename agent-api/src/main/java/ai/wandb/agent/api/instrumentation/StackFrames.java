package ai.wandb.agent.api.instrumentation;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Stack map frames for code woven into the middle of a method ({@link BridgedMethod}, {@link HookedCalls}),
 * written from what an {@code AnalyzerAdapter} in front of the weaving knows, so that no class is loaded.
 */
final class StackFrames {
  private StackFrames() {}

  /**
   * The analyzer's slots (one entry per slot, long and double followed by TOP) as frame entries (one per
   * value); with {@code thisInitialized} (after a constructor's super(...) call) {@code this} is {@code owner}.
   */
  static Object[] entries(List<Object> slots, String owner, boolean thisInitialized) {
    List<Object> entries = new ArrayList<Object>();
    for (int i = 0; i < slots.size(); i++) {
      Object type = slots.get(i);
      if (thisInitialized && type == Opcodes.UNINITIALIZED_THIS) {
        type = owner;
      }
      entries.add(type);
      if (type == Opcodes.LONG || type == Opcodes.DOUBLE) {
        i++;
      }
    }
    return entries.toArray();
  }

  /** {@code locals}, padded with TOP up to slot {@code firstAdded}, then {@code added}. */
  static Object[] withAdded(Object[] locals, int firstAdded, Object... added) {
    List<Object> entries = new ArrayList<Object>(java.util.Arrays.asList(locals));
    for (int i = slotCount(locals); i < firstAdded; i++) {
      entries.add(Opcodes.TOP);
    }
    entries.addAll(java.util.Arrays.asList(added));
    return entries.toArray();
  }

  static int slotCount(Object[] entries) {
    int slots = 0;
    for (Object type : entries) {
      slots += type == Opcodes.LONG || type == Opcodes.DOUBLE ? 2 : 1;
    }
    return slots;
  }

  static void frame(MethodVisitor mv, Object[] locals, Object[] stack) {
    mv.visitFrame(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
  }

  static Object frameType(Type type) {
    switch (type.getSort()) {
      case Type.BOOLEAN:
      case Type.BYTE:
      case Type.CHAR:
      case Type.SHORT:
      case Type.INT:
        return Opcodes.INTEGER;
      case Type.FLOAT:
        return Opcodes.FLOAT;
      case Type.LONG:
        return Opcodes.LONG;
      case Type.DOUBLE:
        return Opcodes.DOUBLE;
      case Type.ARRAY:
        return type.getDescriptor();
      default:
        return type.getInternalName();
    }
  }
}
