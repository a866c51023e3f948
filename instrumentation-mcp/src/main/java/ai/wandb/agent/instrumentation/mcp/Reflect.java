package ai.wandb.agent.instrumentation.mcp;

import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls public no-argument accessors of the SDK's records by name, so that the module compiles against no
 * SDK version and an accessor a version lacks reads as {@code null}.
 */
final class Reflect {
  private static final Method MISSING = missingMarker();
  private static final ClassValue<ConcurrentHashMap<String, Method>> ACCESSORS =
      new ClassValue<ConcurrentHashMap<String, Method>>() {
        @Override
        protected ConcurrentHashMap<String, Method> computeValue(Class<?> type) {
          return new ConcurrentHashMap<String, Method>();
        }
      };

  private Reflect() {}

  /** {@code target.name()}, or {@code null} when the target is null, has no such accessor, or it throws. */
  static Object call(Object target, String name) {
    if (target == null) {
      return null;
    }
    ConcurrentHashMap<String, Method> methods = ACCESSORS.get(target.getClass());
    Method method = methods.get(name);
    if (method == null) {
      method = find(target.getClass(), name);
      methods.put(name, method);
    }
    if (method == MISSING) {
      return null;
    }
    try {
      return method.invoke(target);
    } catch (Exception e) {
      return null;
    }
  }

  static String string(Object target, String name) {
    Object value = call(target, name);
    return value == null ? null : value.toString();
  }

  private static Method find(Class<?> type, String name) {
    try {
      Method method = type.getMethod(name);
      if (method.getParameterTypes().length == 0 && method.getReturnType() != void.class) {
        method.setAccessible(true);
        return method;
      }
    } catch (Exception e) {
      // NoSuchMethodException in versions without it; SecurityException or an inaccessible module alike
    }
    return MISSING;
  }

  private static Method missingMarker() {
    try {
      return Reflect.class.getDeclaredMethod("missingMarker");
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }
}
