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
  /** Instead of {@link #names}: every name that starts with this (compiler-made methods, see {@link #namedStartingWith}). */
  private final String namePrefix;
  private final int argumentCount;
  private final Map<Integer, String> argumentTypes;
  private final boolean privateOnly;

  private MethodMatcher(Set<String> names, String namePrefix, int argumentCount, Map<Integer, String> argumentTypes,
      boolean privateOnly) {
    this.names = names;
    this.namePrefix = namePrefix;
    this.argumentCount = argumentCount;
    this.argumentTypes = argumentTypes;
    this.privateOnly = privateOnly;
  }

  public static MethodMatcher named(String... names) {
    return new MethodMatcher(new HashSet<String>(Arrays.asList(names)), null, -1, new HashMap<Integer, String>(), false);
  }

  /**
   * Every method whose name starts with {@code prefix}: for the methods javac makes of a library's lambdas
   * ({@code lambda$toolsCallRequestHandler$23}), whose numbers change from one release to the next while the
   * enclosing method's name stays; the argument types then tell which lambda it is.
   */
  public static MethodMatcher namedStartingWith(String prefix) {
    return new MethodMatcher(java.util.Collections.<String>emptySet(), prefix, -1, new HashMap<Integer, String>(),
        false);
  }

  public static MethodMatcher constructors() {
    return named(CONSTRUCTOR);
  }

  public MethodMatcher takesArguments(int count) {
    return new MethodMatcher(names, namePrefix, count, argumentTypes, privateOnly);
  }

  /** The argument at {@code index} is declared with this type ({@code a.b.C}, or {@code java.lang.Object[]}). */
  public MethodMatcher takesArgument(int index, String typeName) {
    Map<Integer, String> types = new HashMap<Integer, String>(argumentTypes);
    types.put(index, typeName);
    return new MethodMatcher(names, namePrefix, argumentCount, types, privateOnly);
  }

  public MethodMatcher privateOnly() {
    return new MethodMatcher(names, namePrefix, argumentCount, argumentTypes, true);
  }

  /** {@code argumentTypeNames} as {@code a.b.C} / {@code int} / {@code a.b.C[]}. */
  boolean matches(int access, String name, String[] argumentTypeNames) {
    if (!(namePrefix != null ? name.startsWith(namePrefix) : names.contains(name)) || (privateOnly && (access & ACC_PRIVATE) == 0)) {
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
