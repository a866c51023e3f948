package ai.wandb.agent.instrumentation.googlegenai;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * Whether {@code generateContent} will run the app's functions itself: the config lists a tool with Java
 * methods ({@code Tool.functions()}) and does not switch automatic function calling off. Read on the app
 * thread, only for calls that pass a config, through public accessors looked up once per class.
 */
final class AutomaticFunctionCalling {
  private static final ClassValue<Method> TOOLS = accessor("tools");
  private static final ClassValue<Method> FUNCTIONS = accessor("functions");
  private static final ClassValue<Method> SETTINGS = accessor("automaticFunctionCalling");
  private static final ClassValue<Method> DISABLE = accessor("disable");
  private static final ClassValue<Method> MAXIMUM_REMOTE_CALLS = accessor("maximumRemoteCalls");

  private AutomaticFunctionCalling() {}

  static boolean enabled(Object config) {
    if (config == null) {
      return false;
    }
    try {
      Object settings = optional(config, SETTINGS);
      if (settings != null && (Boolean.TRUE.equals(optional(settings, DISABLE))
          || isNotPositive(optional(settings, MAXIMUM_REMOTE_CALLS)))) {
        return false;
      }
      Object tools = optional(config, TOOLS);
      if (!(tools instanceof List)) {
        return false;
      }
      for (Object tool : (List<?>) tools) {
        Object functions = tool == null ? null : optional(tool, FUNCTIONS);
        if (functions instanceof List && !((List<?>) functions).isEmpty()) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean isNotPositive(Object number) {
    return number instanceof Number && ((Number) number).intValue() <= 0;
  }

  private static Object optional(Object target, ClassValue<Method> accessor) throws Exception {
    Method method = accessor.get(target.getClass());
    if (method == null) {
      return null;
    }
    Object value = method.invoke(target);
    return value instanceof Optional ? ((Optional<?>) value).orElse(null) : value;
  }

  private static ClassValue<Method> accessor(final String name) {
    return new ClassValue<Method>() {
      @Override
      protected Method computeValue(Class<?> type) {
        try {
          Method method = type.getMethod(name);
          method.setAccessible(true);
          return method;
        } catch (Exception e) {
          return null;
        }
      }
    };
  }
}
