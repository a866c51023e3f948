package ai.wandb.agent.api.instrumentation;

/** One woven method: where it is and which hook runs around it. */
public final class HookSite {
  private final String typeName;
  private final String methodName;
  private final int argumentCount;
  private final MethodHook hook;

  HookSite(String typeName, String methodName, int argumentCount, MethodHook hook) {
    this.typeName = typeName;
    this.methodName = methodName;
    this.argumentCount = argumentCount;
    this.hook = hook;
  }

  /** The binary name of the woven class, e.g. {@code com.openai.services.blocking.chat.ChatCompletionServiceImpl$WithRawResponseImpl}. */
  public String typeName() {
    return typeName;
  }

  public String methodName() {
    return methodName;
  }

  /** The value of the {@code index}-th field the advice reads (they follow the method's arguments). */
  public Object field(Object[] arguments, int index) {
    return arguments[argumentCount + index];
  }

  MethodHook hook() {
    return hook;
  }

  @Override
  public String toString() {
    return typeName + "." + methodName;
  }
}
