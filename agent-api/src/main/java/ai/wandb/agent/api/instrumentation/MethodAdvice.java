package ai.wandb.agent.api.instrumentation;

import org.objectweb.asm.Type;

/**
 * A hook applied to the methods a matcher selects, with what the woven code hands it beyond the
 * arguments: values of the instance's fields (read in the method, so private fields need no
 * reflection), and which arguments the hook may replace. Or ({@link #aroundCalls}) a hook applied
 * around each call of one method made inside the selected methods.
 */
public final class MethodAdvice {
  private final MethodMatcher methods;
  private final MethodHook hook;
  private final String[] fields;
  private final int[] writableArguments;
  private final String calledOwner;
  private final String calledName;
  private final String calledDescriptor;

  public MethodAdvice(MethodMatcher methods, MethodHook hook) {
    this(methods, hook, new String[0], new int[0], null, null, null);
  }

  private MethodAdvice(MethodMatcher methods, MethodHook hook, String[] fields, int[] writableArguments,
      String calledOwner, String calledName, String calledDescriptor) {
    this.methods = methods;
    this.hook = hook;
    this.fields = fields;
    this.writableArguments = writableArguments;
    this.calledOwner = calledOwner;
    this.calledName = calledName;
    this.calledDescriptor = calledDescriptor;
  }

  /**
   * {@code hook} runs around each call of the instance method {@code calledOwner.calledName} with
   * {@code calledDescriptor} (arguments and result of reference types, e.g.
   * {@code (La/b/Request;Ljava/lang/Object;)Ljava/lang/String;}) inside the selected methods: for where a
   * library calls an interface whose implementations cannot all be woven (lambdas and other hidden
   * classes never reach a class-file transformer). The hook's {@code self} is the call's receiver, its
   * arguments the call's, its result what the call returns (see {@link HookedCalls}). A method whose calls
   * are hooked may have its own advice too, and calls of other methods hooked by other advice; the woven
   * class must link to the agent (not a JDK class).
   */
  public static MethodAdvice aroundCalls(MethodMatcher methods, String calledOwner, String calledName,
      String calledDescriptor, MethodHook hook) {
    for (Type type : Type.getArgumentTypes(calledDescriptor)) {
      requireReference(type, calledDescriptor);
    }
    Type returned = Type.getReturnType(calledDescriptor);
    if (returned.getSort() != Type.VOID) {
      requireReference(returned, calledDescriptor);
    }
    return new MethodAdvice(methods, hook, new String[0], new int[0], TypeMatcher.internal(calledOwner), calledName,
        calledDescriptor);
  }

  private static void requireReference(Type type, String descriptor) {
    if (type.getSort() != Type.OBJECT && type.getSort() != Type.ARRAY) {
      throw new IllegalArgumentException("only calls with reference arguments and results: " + descriptor);
    }
  }

  /** The hook also gets these fields' values ({@link HookSite#field}); a class without them is not woven. */
  public MethodAdvice readingFields(String... fieldNames) {
    return new MethodAdvice(methods, hook, fieldNames.clone(), writableArguments, calledOwner, calledName,
        calledDescriptor);
  }

  /** After {@link MethodHook#enter}, these arguments take what the hook left in their slots. */
  public MethodAdvice writingArguments(int... indexes) {
    return new MethodAdvice(methods, hook, fields, indexes.clone(), calledOwner, calledName, calledDescriptor);
  }

  MethodMatcher methods() {
    return methods;
  }

  MethodHook hook() {
    return hook;
  }

  String[] fields() {
    return fields;
  }

  int[] writableArguments() {
    return writableArguments;
  }

  boolean isAroundCalls() {
    return calledOwner != null;
  }

  boolean calls(String owner, String name, String descriptor) {
    return calledName.equals(name) && calledDescriptor.equals(descriptor) && calledOwner.equals(owner);
  }

  int calledArgumentCount() {
    return Type.getArgumentTypes(calledDescriptor).length;
  }
}
