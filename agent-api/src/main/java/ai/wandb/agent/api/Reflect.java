package ai.wandb.agent.api;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls public no-argument accessors of library objects by name, so that a module compiles
 * against no version of its library and an accessor missing in one version reads as {@code null}.
 */
public final class Reflect {
  private static final Method MISSING = missingMarker();
  /** Per class, so that the cache lives and dies with the class (and its loader can be unloaded). */
  private static final ClassValue<ConcurrentHashMap<String, Method>> ACCESSORS =
      new ClassValue<ConcurrentHashMap<String, Method>>() {
        @Override
        protected ConcurrentHashMap<String, Method> computeValue(Class<?> type) {
          return new ConcurrentHashMap<String, Method>();
        }
      };

  private Reflect() {}

  /** {@code target.name()}, or {@code null} when the target is null, has no such accessor, or it throws. */
  public static Object call(Object target, String name) {
    if (target == null) {
      return null;
    }
    Method method = accessor(target.getClass(), name);
    if (method == MISSING) {
      return null;
    }
    try {
      return method.invoke(target);
    } catch (Exception e) {
      return null;
    }
  }

  public static String string(Object target, String name) {
    Object value = call(target, name);
    return value == null ? null : value.toString();
  }

  private static Method accessor(Class<?> type, String name) {
    ConcurrentHashMap<String, Method> methods = ACCESSORS.get(type);
    Method method = methods.get(name);
    if (method == null) {
      method = find(type, name);
      methods.put(name, method);
    }
    return method;
  }

  private static Method find(Class<?> type, String name) {
    try {
      Method method = type.getMethod(name);
      if (method.getParameterTypes().length == 0 && method.getReturnType() != void.class) {
        // Public methods of non-public classes (anonymous, package-private implementations) need this.
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

  /**
   * A private field of a library class (declared by it or a super class), found once per class; reads as
   * null where a version lacks it, and of a null target.
   */
  public static final class PrivateField {
    private final String name;
    private final ClassValue<Field> fields = new ClassValue<Field>() {
      @Override
      protected Field computeValue(Class<?> type) {
        for (Class<?> declaring = type; declaring != null; declaring = declaring.getSuperclass()) {
          try {
            Field field = declaring.getDeclaredField(name);
            field.setAccessible(true);
            return field;
          } catch (NoSuchFieldException e) {
            // the super class may declare it
          } catch (Exception e) {
            return null;
          }
        }
        return null;
      }
    };

    public PrivateField(String name) {
      this.name = name;
    }

    public Object read(Object target) {
      if (target == null) {
        return null;
      }
      Field field = fields.get(target.getClass());
      try {
        return field == null ? null : field.get(target);
      } catch (IllegalAccessException e) {
        return null;
      }
    }
  }
}
