package ai.wandb.agent.api.instrumentation;

/**
 * A hook applied to the methods a matcher selects, with what the woven code hands it beyond the
 * arguments: values of the instance's fields (read in the method, so private fields need no
 * reflection), and which arguments the hook may replace.
 */
public final class MethodAdvice {
  private final MethodMatcher methods;
  private final MethodHook hook;
  private final String[] fields;
  private final int[] writableArguments;

  public MethodAdvice(MethodMatcher methods, MethodHook hook) {
    this(methods, hook, new String[0], new int[0]);
  }

  private MethodAdvice(MethodMatcher methods, MethodHook hook, String[] fields, int[] writableArguments) {
    this.methods = methods;
    this.hook = hook;
    this.fields = fields;
    this.writableArguments = writableArguments;
  }

  /** The hook also gets these fields' values ({@link HookSite#field}); a class without them is not woven. */
  public MethodAdvice readingFields(String... fieldNames) {
    return new MethodAdvice(methods, hook, fieldNames.clone(), writableArguments);
  }

  /** After {@link MethodHook#enter}, these arguments take what the hook left in their slots. */
  public MethodAdvice writingArguments(int... indexes) {
    return new MethodAdvice(methods, hook, fields, indexes.clone());
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
}
