package ai.wandb.agent.api.instrumentation;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AdviceAdapter;
import org.objectweb.asm.commons.Method;

/**
 * The code woven into one method. In Java terms (for a constructor, after its {@code super(...)} call):
 *
 * <pre>
 * Object[] arguments = {arg0, ..., argN, field0, ...};   // null when there are none
 * Object state = Hooks.enter(arguments, this, SITE);
 * argK = (T) arguments[K];                 // for each writable argument K
 * try {
 *   ...body, where each {@code return value} becomes
 *   return (R) Hooks.exit(value, null, state, this, SITE);
 * } catch (Throwable t) {                  // last in the exception table: the body's own handlers come first
 *   Hooks.exit(null, t, state, this, SITE);
 *   throw t;
 * }
 * </pre>
 */
final class HookedMethod extends AdviceAdapter {
  private static final Type HOOKS = Type.getType(Hooks.class);
  private static final Method ENTER = Method.getMethod("Object enter(Object[], Object, int)");
  private static final Method EXIT = Method.getMethod("Object exit(Object, Throwable, Object, Object, int)");
  private static final Type OBJECT = Type.getType(Object.class);
  private static final Type OBJECT_ARRAY = Type.getType(Object[].class);
  private static final String THROWABLE = "java/lang/Throwable";

  private final String owner;
  private final int site;
  private final Weaver.FieldRef[] fields;
  private final int[] writableArguments;
  private final boolean writeFrames;
  private final boolean isStatic;
  private final Type[] argumentTypes;
  private final Type returnType;
  private final Label bodyStart = new Label();
  private final Label handler = new Label();
  private int argumentsLocal;
  private int stateLocal;
  private boolean entered;

  HookedMethod(MethodVisitor next, int access, String name, String descriptor, String owner, int site,
      Weaver.FieldRef[] fields, int[] writableArguments, boolean writeFrames) {
    super(Opcodes.ASM9, next, access, name, descriptor);
    this.owner = owner;
    this.site = site;
    this.fields = fields;
    this.writableArguments = writableArguments;
    this.writeFrames = writeFrames;
    this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
    this.argumentTypes = Type.getArgumentTypes(descriptor);
    this.returnType = Type.getReturnType(descriptor);
  }

  @Override
  protected void onMethodEnter() {
    if (argumentTypes.length + fields.length == 0) {
      // Nothing to hand over: no array per call (Hooks passes the hook a shared empty one).
      visitInsn(ACONST_NULL);
    } else {
      push(argumentTypes.length + fields.length);
      newArray(OBJECT);
    }
    for (int i = 0; i < argumentTypes.length; i++) {
      dup();
      push(i);
      loadArg(i);
      valueOf(argumentTypes[i]);
      arrayStore(OBJECT);
    }
    for (int i = 0; i < fields.length; i++) {
      Weaver.FieldRef field = fields[i];
      Type type = Type.getType(field.descriptor);
      dup();
      push(argumentTypes.length + i);
      if (field.isStatic) {
        getStatic(Type.getObjectType(owner), field.name, type);
      } else {
        loadThis();
        getField(Type.getObjectType(owner), field.name, type);
      }
      valueOf(type);
      arrayStore(OBJECT);
    }
    // Both locals come right after the arguments: the handler's frame below relies on it.
    argumentsLocal = newLocal(OBJECT_ARRAY);
    storeLocal(argumentsLocal);
    loadLocal(argumentsLocal);
    loadSelf();
    push(site);
    invokeStatic(HOOKS, ENTER);
    stateLocal = newLocal(OBJECT);
    storeLocal(stateLocal);
    for (int index : writableArguments) {
      if (index < argumentTypes.length) {
        loadLocal(argumentsLocal);
        push(index);
        arrayLoad(OBJECT);
        cast(argumentTypes[index]);
        storeArg(index);
      }
    }
    mark(bodyStart);
    entered = true;
  }

  @Override
  protected void onMethodExit(int opcode) {
    if (opcode == ATHROW || !entered) {
      // A throw is seen by the handler (or caught inside the body); a return before the constructor's
      // super(...) call cannot exist in verifiable code.
      return;
    }
    if (returnType.getSort() == Type.VOID) {
      visitInsn(ACONST_NULL);
    } else {
      valueOf(returnType);
    }
    visitInsn(ACONST_NULL);
    callExit();
    if (returnType.getSort() == Type.VOID) {
      pop();
    } else {
      cast(returnType);
    }
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    if (entered) {
      mark(handler);
      if (writeFrames) {
        Object[] locals = handlerLocals();
        mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {THROWABLE});
      }
      dup();
      visitInsn(ACONST_NULL);
      swap();
      callExit();
      pop();
      throwException();
      // Registered after the body's own handlers, so it only sees what they let through.
      mv.visitTryCatchBlock(bodyStart, handler, handler, THROWABLE);
    }
    super.visitMaxs(maxStack, maxLocals);
  }

  /** Stack {@code returned, thrown} becomes the hook's result. */
  private void callExit() {
    loadLocal(stateLocal);
    loadSelf();
    push(site);
    invokeStatic(HOOKS, EXIT);
  }

  private void loadSelf() {
    if (isStatic) {
      visitInsn(ACONST_NULL);
    } else {
      loadThis();
    }
  }

  /**
   * {@code this} (initialized: a constructor's handler starts after super(...)), the argument slots as
   * unknown (the body may store other values there), then the two locals this adapter added.
   */
  private Object[] handlerLocals() {
    int argumentSlots = 0;
    for (Type type : argumentTypes) {
      argumentSlots += type.getSize();
    }
    int self = isStatic ? 0 : 1;
    Object[] locals = new Object[self + argumentSlots + 2];
    if (!isStatic) {
      locals[0] = owner;
    }
    for (int i = self; i < self + argumentSlots; i++) {
      locals[i] = Opcodes.TOP;
    }
    locals[self + argumentSlots] = OBJECT_ARRAY.getDescriptor();
    locals[self + argumentSlots + 1] = OBJECT.getInternalName();
    return locals;
  }

  /** A reference of type Object becomes a value of {@code type}: checked cast, or unboxing for primitives. */
  private void cast(Type type) {
    switch (type.getSort()) {
      case Type.OBJECT:
      case Type.ARRAY:
        if (!type.equals(OBJECT)) {
          checkCast(type);
        }
        return;
      default:
        unbox(type);
    }
  }
}
