package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.Json;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the SDK's objects as JSON through their own {@code toJson()} (every type of the SDK is a
 * {@code JsonSerializable}): the SDK's Jackson mapping, camelCase as the API speaks it, the same from 1.0 to
 * 2.x, while the Java accessors change. Exporter thread only.
 */
final class SdkJson {
  private static final ClassValue<Method> TO_JSON = new ClassValue<Method>() {
    @Override
    protected Method computeValue(Class<?> type) {
      try {
        return type.getMethod("toJson");
      } catch (NoSuchMethodException e) {
        return null;
      }
    }
  };

  private SdkJson() {}

  /** An SDK object as a JSON tree, a list of them as a list; null for anything else. */
  static Object tree(Object value) {
    if (value instanceof List) {
      List<Object> out = new ArrayList<Object>();
      for (Object element : (List<?>) value) {
        Object json = tree(element);
        out.add(json != null ? json : String.valueOf(element));
      }
      return out;
    }
    Method toJson = value == null ? null : TO_JSON.get(value.getClass());
    if (toJson == null) {
      return null;
    }
    try {
      return Json.parse((String) toJson.invoke(value));
    } catch (Exception e) {
      return null;
    }
  }

  /** An SDK object as a JSON object (a copy the caller may change); an empty map when it is not one. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value) {
    Object tree = tree(value);
    return tree instanceof Map ? new LinkedHashMap<String, Object>((Map<String, Object>) tree)
        : new LinkedHashMap<String, Object>();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map ? (Map<String, Object>) value : null;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value instanceof List ? (List<Object>) value : new ArrayList<Object>();
  }
}
