package ai.wandb.agent.instrumentation.methods;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The methods a class file declares, with what a span needs from the declaration: parameter names (from
 * the MethodParameters attribute, else the local variable table javac writes by default, else
 * {@code arg0}...) and the annotations on the method and on its parameters, read from the class file
 * the transformer has, so nothing is loaded.
 */
final class DeclaredMethods {
  private DeclaredMethods() {}

  /** One declared method. */
  static final class Method {
    final int access;
    final String name;
    final String descriptor;
    final String[] parameterNames;
    /** Annotation values by annotation descriptor; an enum value is kept as its constant's name. */
    final Map<String, Map<String, Object>> annotations = new HashMap<String, Map<String, Object>>();
    final List<Map<String, Map<String, Object>>> parameterAnnotations;

    Method(int access, String name, String descriptor) {
      this.access = access;
      this.name = name;
      this.descriptor = descriptor;
      int count = Type.getArgumentTypes(descriptor).length;
      this.parameterNames = new String[count];
      this.parameterAnnotations = new ArrayList<Map<String, Map<String, Object>>>(count);
      for (int i = 0; i < count; i++) {
        parameterAnnotations.add(new HashMap<String, Map<String, Object>>());
      }
    }

    /** A method written in the source: not a constructor, initializer, lambda body or bridge. */
    boolean isOwnCode() {
      return !name.startsWith("<") && (access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) == 0
          && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
    }

    /** Argument types as {@code a.b.C}, {@code int}, {@code a.b.C[]}. */
    String[] argumentTypeNames() {
      Type[] types = Type.getArgumentTypes(descriptor);
      String[] names = new String[types.length];
      for (int i = 0; i < types.length; i++) {
        names[i] = types[i].getClassName();
      }
      return names;
    }
  }

  static List<Method> read(byte[] classFile) {
    final List<Method> methods = new ArrayList<Method>();
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        Method method = new Method(access, name, descriptor);
        methods.add(method);
        return new MethodReader(method);
      }
    }, ClassReader.SKIP_FRAMES);
    for (Method method : methods) {
      for (int i = 0; i < method.parameterNames.length; i++) {
        if (method.parameterNames[i] == null) {
          method.parameterNames[i] = "arg" + i;
        }
      }
    }
    return methods;
  }

  private static final class MethodReader extends MethodVisitor {
    private final Method method;
    private final Map<Integer, Integer> parameterBySlot = new HashMap<Integer, Integer>();
    private int nextParameter;
    private boolean namedByAttribute;

    MethodReader(Method method) {
      super(Opcodes.ASM9);
      this.method = method;
      int slot = (method.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
      Type[] types = Type.getArgumentTypes(method.descriptor);
      for (int i = 0; i < types.length; i++) {
        parameterBySlot.put(slot, i);
        slot += types[i].getSize();
      }
    }

    @Override
    public void visitParameter(String name, int access) {
      if (name != null && nextParameter < method.parameterNames.length) {
        method.parameterNames[nextParameter] = name;
        namedByAttribute = true;
      }
      nextParameter++;
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      return new Values(method.annotations, descriptor);
    }

    @Override
    public AnnotationVisitor visitParameterAnnotation(int parameter, String descriptor, boolean visible) {
      // Older javac numbers only the parameters the source declares; they are the last ones either way.
      int index = parameter + method.parameterNames.length - parameterCount(visible);
      if (index < 0 || index >= method.parameterNames.length) {
        return null;
      }
      return new Values(method.parameterAnnotations.get(index), descriptor);
    }

    private int visibleCount = -1;
    private int invisibleCount = -1;

    @Override
    public void visitAnnotableParameterCount(int parameterCount, boolean visible) {
      if (visible) {
        visibleCount = parameterCount;
      } else {
        invisibleCount = parameterCount;
      }
    }

    private int parameterCount(boolean visible) {
      int count = visible ? visibleCount : invisibleCount;
      return count < 0 ? method.parameterNames.length : count;
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end,
        int index) {
      Integer parameter = parameterBySlot.remove(index);
      if (parameter != null && !namedByAttribute) {
        method.parameterNames[parameter] = name;
      }
    }
  }

  /** Collects an annotation's simple values (strings, numbers, enum constants' names). */
  private static final class Values extends AnnotationVisitor {
    private final Map<String, Object> values = new HashMap<String, Object>();

    Values(Map<String, Map<String, Object>> into, String descriptor) {
      super(Opcodes.ASM9);
      into.put(descriptor, values);
    }

    @Override
    public void visit(String name, Object value) {
      values.put(name, value);
    }

    @Override
    public void visitEnum(String name, String descriptor, String value) {
      values.put(name, value);
    }
  }
}
