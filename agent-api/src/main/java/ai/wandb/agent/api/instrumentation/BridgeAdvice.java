package ai.wandb.agent.api.instrumentation;

/**
 * Advice for classes that cannot link to the agent: the JDK's own, defined by the bootstrap loader,
 * which does not see the agent jar (appending it to the bootstrap path would print a JVM warning). The
 * woven code reaches {@link Hooks#bridge} through a dynamic constant (class files of Java 11 and later;
 * older ones are left alone) that the JVM resolves once per class from the system class loader, and it
 * passes one value, never an array, so the hot path allocates nothing. Two shapes:
 *
 * <ul>
 *   <li>{@link #atEntry}: the hook sees one argument (or {@code this}, after a constructor's
 *       {@code super(...)}) when the method starts; its result is dropped.
 *   <li>{@link #aroundCalls}: around each call of one no-argument method inside the selected methods,
 *       {@code before} gets the call's receiver, and when it returned non-null, {@code after} gets that
 *       result once the call returned or threw. Nothing wraps the receiver, so the callee's frames and
 *       exceptions are what they are without the agent.
 * </ul>
 *
 * A failure to reach the agent leaves the method running as it would unwoven.
 */
public final class BridgeAdvice {
  /** {@link #atEntry} hands the hook {@code this} instead of an argument. */
  public static final int THIS = -1;

  private final MethodMatcher methods;
  private final int argument;
  private final String calledOwner;
  private final String calledName;
  private final String calledDescriptor;
  private final BridgeHook first;
  private final BridgeHook second;

  private BridgeAdvice(MethodMatcher methods, int argument, String calledOwner, String calledName,
      String calledDescriptor, BridgeHook first, BridgeHook second) {
    this.methods = methods;
    this.argument = argument;
    this.calledOwner = calledOwner;
    this.calledName = calledName;
    this.calledDescriptor = calledDescriptor;
    this.first = first;
    this.second = second;
  }

  /** {@code hook} gets argument {@code argument} (a reference type) or {@link #THIS} on entry. */
  public static BridgeAdvice atEntry(MethodMatcher methods, int argument, BridgeHook hook) {
    return new BridgeAdvice(methods, argument, null, null, null, hook, null);
  }

  /**
   * Around each call of {@code calledOwner.calledName} with {@code calledDescriptor} (no arguments, e.g.
   * {@code ()V}) in the selected methods; each such call must be a statement of its own (only its
   * receiver on the operand stack), otherwise the class is not woven.
   */
  public static BridgeAdvice aroundCalls(MethodMatcher methods, String calledOwner, String calledName,
      String calledDescriptor, BridgeHook before, BridgeHook after) {
    if (!calledDescriptor.startsWith("()")) {
      throw new IllegalArgumentException("only calls without arguments: " + calledDescriptor);
    }
    return new BridgeAdvice(methods, THIS, TypeMatcher.internal(calledOwner), calledName, calledDescriptor,
        before, after);
  }

  MethodMatcher methods() {
    return methods;
  }

  boolean isAroundCalls() {
    return calledOwner != null;
  }

  int argument() {
    return argument;
  }

  boolean calls(String owner, String name, String descriptor) {
    return calledName.equals(name) && calledDescriptor.equals(descriptor) && calledOwner.equals(owner);
  }

  BridgeHook first() {
    return first;
  }

  BridgeHook second() {
    return second;
  }
}
