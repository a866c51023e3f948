package ai.wandb.agent.api.instrumentation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Which methods of a woven class an advice applies to: by name, arguments and access, read from the class file. */
public final class MethodMatcher {
  private static final String CONSTRUCTOR = "<init>";
  private static final int ACC_PRIVATE = 0x0002;

  private final Set<String> names;
  private final int argumentCount;
  private final Map<Integer, String> argumentTypes;
  private final boolean privateOnly;

  private MethodMatcher(Set<String> names, int argumentCount, Map<Integer, String> argumentTypes, boolean privateOnly) {
    this.names = names;
    this.argumentCount = argumentCount;
    this.argumentTypes = argumentTypes;
    this.privateOnly = privateOnly;
  }

  public static MethodMatcher named(String... names) {
    return new MethodMatcher(new HashSet<String>(Arrays.asList(names)), -1, new HashMap<Integer, String>(), false);
  }

  public static MethodMatcher constructors() {
    return named(CONSTRUCTOR);
  }

  public MethodMatcher takesArguments(int count) {
    return new MethodMatcher(names, count, argumentTypes, privateOnly);
  }

  /** The argument at {@code index} is declared with this type ({@code a.b.C}, or {@code java.lang.Object[]}). */
  public MethodMatcher takesArgument(int index, String typeName) {
    Map<Integer, String> types = new HashMap<Integer, String>(argumentTypes);
    types.put(index, typeName);
    return new MethodMatcher(names, argumentCount, types, privateOnly);
  }

  public MethodMatcher privateOnly() {
    return new MethodMatcher(names, argumentCount, argumentTypes, true);
  }

  /** {@code argumentTypeNames} as {@code a.b.C} / {@code int} / {@code a.b.C[]}. */
  boolean matches(int access, String name, String[] argumentTypeNames) {
    if (!names.contains(name) || (privateOnly && (access & ACC_PRIVATE) == 0)) {
      return false;
    }
    if (argumentCount >= 0 && argumentTypeNames.length != argumentCount) {
      return false;
    }
    for (Map.Entry<Integer, String> type : argumentTypes.entrySet()) {
      int index = type.getKey();
      if (index >= argumentTypeNames.length || !argumentTypeNames[index].equals(type.getValue())) {
        return false;
      }
    }
    return true;
  }
}
