package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.AgentLog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * An object of a library's listener interface (a container's {@code AsyncListener}, say) whose calls go
 * to an {@link InvocationHandler}, as {@link Proxy#newProxyInstance} does, but without a
 * {@code java.lang.reflect.Proxy} class: the JDK numbers every proxy class from one counter, so one made
 * by the agent would turn the app's next {@code $Proxy15} into {@code $Proxy16} in its stack traces and
 * class names. On Java 15 and later the class is a hidden class of the interface's package and loader
 * (no name anyone can look up, and its frames are left out of stack traces); on Java 9 to 14 a class of
 * that package; on Java 8, or where the package is closed to the agent, a proxy after all.
 *
 * <p>Only interfaces whose methods all return {@code void} are implemented this way (listeners);
 * {@code equals}, {@code hashCode} and {@code toString} are {@code Object}'s.
 */
public final class Listeners {
  private static final String HANDLER = Type.getInternalName(InvocationHandler.class);
  private static final String HANDLER_FIELD = "handler";
  private static final String METHODS_FIELD = "methods";
  private static final String CONSTRUCTOR = "(L" + HANDLER + ";[Ljava/lang/reflect/Method;)V";
  /** Per interface, its new class's constructor and the interface's methods in the order the class indexes them. */
  private static final ClassValue<Object[]> CONSTRUCTORS = new ClassValue<Object[]>() {
    @Override
    protected Object[] computeValue(Class<?> type) {
      try {
        return define(type);
      } catch (Throwable t) {
        AgentLog.debug("a listener of " + type.getName() + " is a proxy: " + t);
        return null;
      }
    }
  };

  private Listeners() {}

  /** An object implementing {@code listenerType} whose every call goes to {@code handler} (its proxy argument is the object). */
  public static Object of(Class<?> listenerType, InvocationHandler handler) {
    Object[] made = listenerType.isInterface() ? CONSTRUCTORS.get(listenerType) : null;
    if (made != null) {
      try {
        MethodHandle constructor = (MethodHandle) made[0];
        return constructor.invoke(handler, (Method[]) made[1]);
      } catch (Throwable t) {
        AgentLog.debug("a listener of " + listenerType.getName() + " is a proxy: " + t);
      }
    }
    return Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] {listenerType}, handler);
  }

  /** A new class implementing the interface: its constructor and the methods it indexes; null when none can be made. */
  private static Object[] define(Class<?> listenerType) throws Throwable {
    List<Method> methods = new ArrayList<Method>();
    for (Method method : listenerType.getMethods()) {
      if (Modifier.isStatic(method.getModifiers()) || method.isDefault()) {
        continue;
      }
      if (method.getReturnType() != void.class) {
        return null;
      }
      methods.add(method);
    }
    Method privateLookupIn;
    try {
      privateLookupIn = MethodHandles.class.getMethod("privateLookupIn", Class.class, MethodHandles.Lookup.class);
    } catch (NoSuchMethodException java8) {
      return null;
    }
    MethodHandles.Lookup lookup = (MethodHandles.Lookup) privateLookupIn.invoke(null, listenerType, MethodHandles.lookup());
    String name = (listenerType.getName() + "$$WandbAgentListener").replace('.', '/');
    byte[] bytes = classFile(name, listenerType, methods);
    MethodHandles.Lookup defined = defineHidden(lookup, bytes);
    Class<?> type;
    if (defined != null) {
      type = defined.lookupClass();
    } else {
      type = (Class<?>) MethodHandles.Lookup.class.getMethod("defineClass", byte[].class).invoke(lookup, bytes);
      defined = lookup;
    }
    MethodHandle constructor = defined.findConstructor(type,
        MethodType.methodType(void.class, InvocationHandler.class, Method[].class))
        .asType(MethodType.methodType(Object.class, InvocationHandler.class, Method[].class));
    return new Object[] {constructor, methods.toArray(new Method[0])};
  }

  /** Java 15+: {@code lookup.defineHiddenClass(bytes, true)}, the hidden class's own lookup; null before. */
  private static MethodHandles.Lookup defineHidden(MethodHandles.Lookup lookup, byte[] bytes) throws Throwable {
    Class<?> options;
    try {
      options = Class.forName("java.lang.invoke.MethodHandles$Lookup$ClassOption");
    } catch (ClassNotFoundException beforeJava15) {
      return null;
    }
    Object noOptions = java.lang.reflect.Array.newInstance(options, 0);
    Method defineHiddenClass = MethodHandles.Lookup.class.getMethod("defineHiddenClass", byte[].class, boolean.class,
        noOptions.getClass());
    return (MethodHandles.Lookup) defineHiddenClass.invoke(lookup, bytes, true, noOptions);
  }

  /**
   * {@code final class <name> implements <listenerType>}: the handler and the interface's methods as
   * fields, and each method calling {@code handler.invoke(this, methods[i], arguments)}.
   */
  static byte[] classFile(String name, Class<?> listenerType, List<Method> methods) {
    // No branch, so no stack map frames to compute (which could load classes).
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, name, null,
        "java/lang/Object", new String[] {Type.getInternalName(listenerType)});
    writer.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, HANDLER_FIELD, "L" + HANDLER + ";", null, null).visitEnd();
    writer.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, METHODS_FIELD, "[Ljava/lang/reflect/Method;", null, null)
        .visitEnd();
    MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", CONSTRUCTOR, null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitVarInsn(Opcodes.ALOAD, 1);
    init.visitFieldInsn(Opcodes.PUTFIELD, name, HANDLER_FIELD, "L" + HANDLER + ";");
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitVarInsn(Opcodes.ALOAD, 2);
    init.visitFieldInsn(Opcodes.PUTFIELD, name, METHODS_FIELD, "[Ljava/lang/reflect/Method;");
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    for (int i = 0; i < methods.size(); i++) {
      Method method = methods.get(i);
      MethodVisitor mv = writer.visitMethod(Opcodes.ACC_PUBLIC, method.getName(), Type.getMethodDescriptor(method),
          null, null);
      mv.visitCode();
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitFieldInsn(Opcodes.GETFIELD, name, HANDLER_FIELD, "L" + HANDLER + ";");
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitFieldInsn(Opcodes.GETFIELD, name, METHODS_FIELD, "[Ljava/lang/reflect/Method;");
      mv.visitLdcInsn(i);
      mv.visitInsn(Opcodes.AALOAD);
      Class<?>[] parameters = method.getParameterTypes();
      mv.visitLdcInsn(parameters.length);
      mv.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
      int slot = 1;
      for (int p = 0; p < parameters.length; p++) {
        mv.visitInsn(Opcodes.DUP);
        mv.visitLdcInsn(p);
        Type type = Type.getType(parameters[p]);
        mv.visitVarInsn(type.getOpcode(Opcodes.ILOAD), slot);
        box(mv, type);
        mv.visitInsn(Opcodes.AASTORE);
        slot += type.getSize();
      }
      mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, HANDLER, "invoke",
          "(Ljava/lang/Object;Ljava/lang/reflect/Method;[Ljava/lang/Object;)Ljava/lang/Object;", true);
      mv.visitInsn(Opcodes.POP);
      mv.visitInsn(Opcodes.RETURN);
      mv.visitMaxs(0, 0);
      mv.visitEnd();
    }
    writer.visitEnd();
    return writer.toByteArray();
  }

  private static void box(MethodVisitor mv, Type type) {
    String owner;
    switch (type.getSort()) {
      case Type.BOOLEAN: owner = "java/lang/Boolean"; break;
      case Type.CHAR: owner = "java/lang/Character"; break;
      case Type.BYTE: owner = "java/lang/Byte"; break;
      case Type.SHORT: owner = "java/lang/Short"; break;
      case Type.INT: owner = "java/lang/Integer"; break;
      case Type.FLOAT: owner = "java/lang/Float"; break;
      case Type.LONG: owner = "java/lang/Long"; break;
      case Type.DOUBLE: owner = "java/lang/Double"; break;
      default: return;
    }
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, "valueOf", "(" + type.getDescriptor() + ")L" + owner + ";", false);
  }
}
