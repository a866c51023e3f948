package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j's JSON schema elements ({@code JsonObjectSchema}, {@code JsonStringSchema}, ...) as the
 * JSON Schema they stand for, read through their public accessors. Unknown element types keep their
 * description only.
 */
final class JsonSchemas {
  private static final int MAX_DEPTH = 16;

  private JsonSchemas() {}

  static Object toJson(Object element) {
    return toJson(element, 0);
  }

  /** LangChain4j's own mapping ({@code JsonSchemaElementUtils.toMap(element, strict)}, which providers send), else {@link #toJson}. */
  static Object asSent(Object element, boolean strict) {
    if (element == null) {
      return null;
    }
    Method toMap = TO_MAP.get(element.getClass());
    if (toMap != null) {
      try {
        return RequestParameters.json(toMap.invoke(null, element, strict));
      } catch (Exception e) {
        // a schema LangChain4j's mapping rejects: fall back to reading the elements
      }
    }
    return toJson(element);
  }

  private static final ClassValue<Method> TO_MAP = new ClassValue<Method>() {
    @Override
    protected Method computeValue(Class<?> elementType) {
      try {
        ClassLoader loader = elementType.getClassLoader();
        Class<?> utils = Class.forName("dev.langchain4j.internal.JsonSchemaElementUtils", false, loader);
        Class<?> element = Class.forName("dev.langchain4j.model.chat.request.json.JsonSchemaElement", false, loader);
        return utils.getMethod("toMap", element, boolean.class);
      } catch (Exception | LinkageError e) {
        return null;
      }
    }
  };

  private static Object toJson(Object element, int depth) {
    if (element == null || depth > MAX_DEPTH) {
      return null;
    }
    String simpleName = element.getClass().getSimpleName();
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    String type = typeOf(simpleName);
    if (type != null) {
      out.put("type", type);
    }
    Messages.putIfPresent(out, "description", Reflect.string(element, "description"));
    if ("object".equals(type)) {
      Object properties = Reflect.call(element, "properties");
      if (properties instanceof Map) {
        Map<String, Object> props = new LinkedHashMap<String, Object>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) properties).entrySet()) {
          props.put(String.valueOf(entry.getKey()), toJson(entry.getValue(), depth + 1));
        }
        out.put("properties", props);
      }
      Messages.putIfPresent(out, "required", Reflect.call(element, "required"));
      Messages.putIfPresent(out, "additionalProperties", Reflect.call(element, "additionalProperties"));
    } else if ("array".equals(type)) {
      Messages.putIfPresent(out, "items", toJson(Reflect.call(element, "items"), depth + 1));
    } else if ("JsonEnumSchema".equals(simpleName)) {
      Object values = Reflect.call(element, "enumValues");
      if (values instanceof List) {
        out.put("enum", new ArrayList<Object>((List<?>) values));
      }
    }
    return out;
  }

  private static String typeOf(String simpleName) {
    if ("JsonObjectSchema".equals(simpleName)) {
      return "object";
    } else if ("JsonStringSchema".equals(simpleName) || "JsonEnumSchema".equals(simpleName)) {
      return "string";
    } else if ("JsonIntegerSchema".equals(simpleName)) {
      return "integer";
    } else if ("JsonNumberSchema".equals(simpleName)) {
      return "number";
    } else if ("JsonBooleanSchema".equals(simpleName)) {
      return "boolean";
    } else if ("JsonArraySchema".equals(simpleName)) {
      return "array";
    }
    return null;
  }
}
