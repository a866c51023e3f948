package ai.wandb.agent.instrumentation.googlegenai;

import java.lang.reflect.Method;

/** The HTTP code and API status ({@code RESOURCE_EXHAUSTED}, ...) of the SDK's {@code ApiException}. Exporter thread. */
final class ApiErrors {
  private ApiErrors() {}

  static Object code(Throwable error) {
    Object code = call(error, "code");
    return code instanceof Number && ((Number) code).intValue() > 0 ? code : null;
  }

  static Object status(Throwable error) {
    Object status = call(error, "status");
    return status instanceof String && !((String) status).isEmpty() ? status : null;
  }

  private static Object call(Throwable error, String name) {
    if (!error.getClass().getName().startsWith("com.google.genai.errors.")) {
      return null;
    }
    try {
      Method method = error.getClass().getMethod(name);
      return method.invoke(error);
    } catch (Exception e) {
      return null;
    }
  }
}
