package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@code ChatRequest}'s parameters as the request body's fields, in OpenAI's names: the common ones
 * ({@code ChatRequestParameters}) and every accessor a provider's own parameters class adds
 * ({@code OpenAiChatRequestParameters}' {@code maxCompletionTokens}, {@code logitBias}, ...), each
 * falling back to the model's default parameters, which LangChain4j merges in after the hooked call.
 */
final class RequestParameters {
  /** Common parameters in body order, with their OpenAI names. */
  private static final String[][] COMMON = {
      {"temperature", "temperature"}, {"topP", "top_p"}, {"topK", "top_k"}, {"maxOutputTokens", "max_tokens"},
      {"frequencyPenalty", "frequency_penalty"}, {"presencePenalty", "presence_penalty"},
      {"stopSequences", "stop"}};
  /** Rendered elsewhere (model, tools, tool choice, response format) or not a parameter. */
  private static final Set<String> NOT_HERE = new HashSet<String>(java.util.Arrays.asList("modelName",
      "toolSpecifications", "toolChoice", "responseFormat", "customParameters", "toBuilder", "hashCode", "toString"));
  private static final ClassValue<List<String>> OWN_ACCESSORS = new ClassValue<List<String>>() {
    @Override
    protected List<String> computeValue(Class<?> type) {
      return ownAccessors(type);
    }
  };

  private RequestParameters() {}

  /** Puts every set parameter into {@code body}; a provider's custom parameters go in as they are sent, at the top. */
  static void put(Map<String, Object> body, Object parameters, Object defaults) {
    for (String[] common : COMMON) {
      putValue(body, common[1], param(parameters, defaults, common[0]));
    }
    Set<String> names = new java.util.TreeSet<String>();
    if (parameters != null) {
      names.addAll(OWN_ACCESSORS.get(parameters.getClass()));
    }
    if (defaults != null) {
      names.addAll(OWN_ACCESSORS.get(defaults.getClass()));
    }
    for (String name : names) {
      putValue(body, snakeCase(name), param(parameters, defaults, name));
    }
    Object custom = param(parameters, defaults, "customParameters");
    if (custom instanceof Map) {
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) custom).entrySet()) {
        String key = String.valueOf(entry.getKey());
        if (!body.containsKey(key)) {
          putValue(body, key, entry.getValue());
        }
      }
    }
  }

  /** A request parameter, falling back to the model's defaults when unset or empty, as LangChain4j merges them. */
  static Object param(Object parameters, Object defaults, String name) {
    Object value = Reflect.call(parameters, name);
    return isUnset(value) ? Reflect.call(defaults, name) : value;
  }

  private static boolean isUnset(Object value) {
    return value == null || value instanceof java.util.Collection && ((java.util.Collection<?>) value).isEmpty()
        || value instanceof Map && ((Map<?, ?>) value).isEmpty();
  }

  /** {@code value} JSON-ready (see below). */
  static Object json(Object value) {
    return json(value, 0);
  }

  private static void putValue(Map<String, Object> body, String key, Object value) {
    Object json = json(value, 0);
    if (json != null) {
      body.put(key, json);
    }
  }

  /** JSON-ready: scalars as they are, enums by name in lower case, arrays, lists and maps element by element; empty ones left out. */
  private static Object json(Object value, int depth) {
    if (value == null || depth > 8) {
      return null;
    }
    if (value instanceof Enum) {
      return ((Enum<?>) value).name().toLowerCase(Locale.ROOT);
    }
    if (value instanceof Object[]) {
      value = java.util.Arrays.asList((Object[]) value);
    }
    if (value instanceof List) {
      if (((List<?>) value).isEmpty()) {
        return null;
      }
      List<Object> out = new ArrayList<Object>();
      for (Object element : (List<?>) value) {
        out.add(json(element, depth + 1));
      }
      return out;
    }
    if (value instanceof Map) {
      if (((Map<?, ?>) value).isEmpty()) {
        return null;
      }
      Map<String, Object> out = new LinkedHashMap<String, Object>();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        out.put(String.valueOf(entry.getKey()), json(entry.getValue(), depth + 1));
      }
      return out;
    }
    return Renderers.value(value);
  }

  /** Public instance accessors a parameters class has beyond the common ones (builders are not), in name order. */
  private static List<String> ownAccessors(Class<?> type) {
    Set<String> common = new HashSet<String>();
    for (String[] names : COMMON) {
      common.add(names[0]);
    }
    List<String> names = new ArrayList<String>();
    try {
      for (Method method : type.getMethods()) {
        if (method.getParameterTypes().length == 0 && method.getReturnType() != void.class
            && !Modifier.isStatic(method.getModifiers()) && method.getDeclaringClass() != Object.class
            && !method.isBridge() && !method.isSynthetic() && !method.getReturnType().getName().endsWith("Builder")
            && !NOT_HERE.contains(method.getName()) && !common.contains(method.getName())) {
          names.add(method.getName());
        }
      }
    } catch (SecurityException e) {
      return Collections.emptyList();
    }
    Collections.sort(names);
    return names;
  }

  static String snakeCase(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
