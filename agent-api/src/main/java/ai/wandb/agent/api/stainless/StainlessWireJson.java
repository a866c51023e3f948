package ai.wandb.agent.api.stainless;

import ai.wandb.agent.api.Json;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Reads SDK objects as the provider's wire JSON, as the SDK's own Jackson mapper writes them. The wire format
 * is far more stable across SDK versions than the SDK's Java API (openai-java's tool calls became unions
 * in 3.0, for one), so one reader serves every version. Exporter thread only.
 */
public final class StainlessWireJson {
  private final Map<ClassLoader, Mapper> mappers = new WeakHashMap<ClassLoader, Mapper>();
  private final StainlessSdk sdk;
  private final StainlessTree tree;
  /** Path parameters some calls carry outside the body: {getter, wire name} pairs. */
  private final String[][] pathParams;
  /** Marks a getter a class does not have. */
  private static final Object ABSENT = new Object();
  /**
   * Per SDK class, its no-argument public methods by name, looked up once: {@code getMethod} copies the
   * class's method table each time, which was a good part of rendering a span. Kept in the class itself
   * (a {@link ClassValue}), so it goes when the SDK's class loader does.
   */
  private static final ClassValue<Map<String, Object>> GETTERS = new ClassValue<Map<String, Object>>() {
    @Override
    protected Map<String, Object> computeValue(Class<?> type) {
      return new java.util.concurrent.ConcurrentHashMap<String, Object>();
    }
  };

  public StainlessWireJson(StainlessSdk sdk, String[][] pathParams) {
    this.sdk = sdk;
    this.tree = new StainlessTree(sdk);
    this.pathParams = pathParams.clone();
  }

  /** The request of a {@code *Params} object as sent: its JSON body (if any) plus its path parameters. */
  public Map<String, Object> body(Object params) throws Exception {
    Map<String, Object> out = new java.util.LinkedHashMap<String, Object>();
    for (String[] pathParam : pathParams) {
      Object value = optionalValue(params, pathParam[0]);
      if (value != null) {
        out.put(pathParam[1], String.valueOf(value));
      }
    }
    Method body = getter(params.getClass(), "_body");
    if (body == null) {
      return out;
    }
    out.putAll(object(body.invoke(params)));
    return out;
  }

  /** A no-argument getter's value, unwrapping {@code Optional}; null when absent or not there. */
  private static Object optionalValue(Object target, String getter) {
    try {
      Method method = getter(target.getClass(), getter);
      Object value = method == null ? null : method.invoke(target);
      if (value instanceof java.util.Optional) {
        return ((java.util.Optional<?>) value).orElse(null);
      }
      return value;
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Any SDK model object (response, chunk, body) as a JSON object: read from the model's structure
   * ({@link StainlessTree}), with the SDK's mapper for what that does not know.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> object(Object sdkObject) throws Exception {
    Object tree = this.tree.tree(sdkObject, mapperFor(sdkObject.getClass().getClassLoader()));
    if (!(tree instanceof Map)) {
      throw new IllegalArgumentException("not a JSON object: " + sdkObject.getClass().getName());
    }
    return (Map<String, Object>) tree;
  }

  /**
   * A message a stream logged ({@link ChunkLog}, the SDK's {@code SseMessage}) as the JSON of its data:
   * the wire form of the chunk or event the app's stream maps it to. With {@code withEvent}, as
   * {@code {"event": ..., "data": ...}}, the object the SDK maps Assistants events from.
   */
  public Map<String, Object> sseMessage(Object message, boolean withEvent) throws Exception {
    Method data = getter(message.getClass(), "getData");
    if (data == null) {
      throw new IllegalArgumentException("not an SSE message: " + message.getClass().getName());
    }
    Map<String, Object> json = Json.parseObject((String) data.invoke(message));
    if (!withEvent) {
      return json;
    }
    Map<String, Object> out = new java.util.LinkedHashMap<String, Object>();
    out.put("event", optionalValue(message, "getEvent"));
    out.put("data", json);
    return out;
  }

  /** The base URL a client was built with, or {@code null} if the options do not say. */
  public String baseUrl(Object clientOptions) {
    if (clientOptions == null) {
      return null;
    }
    try {
      Method baseUrl = getter(clientOptions.getClass(), "baseUrl");
      return baseUrl == null ? null : String.valueOf(baseUrl.invoke(clientOptions));
    } catch (Exception e) {
      return null;
    }
  }

  /** The HTTP status of an SDK service exception, or {@code null} for other failures. */
  public Integer statusCode(Throwable error) {
    try {
      Object status = error.getClass().getMethod("statusCode").invoke(error);
      return status instanceof Integer ? (Integer) status : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** The class's public no-argument method of that name, or null when it has none. */
  private static Method getter(Class<?> type, String name) {
    Map<String, Object> getters = GETTERS.get(type);
    Object known = getters.get(name);
    if (known == null) {
      try {
        known = type.getMethod(name);
      } catch (NoSuchMethodException e) {
        known = ABSENT;
      }
      getters.put(name, known);
    }
    return known == ABSENT ? null : (Method) known;
  }

  private Mapper mapperFor(ClassLoader loader) {
    Mapper mapper = mappers.get(loader);
    if (mapper == null) {
      mapper = new Mapper(sdk.objectMappers(), loader);
      mappers.put(loader, mapper);
    }
    return mapper;
  }

  /**
   * The SDK's {@code ObjectMappers.jsonMapper()} and its {@code writeValueAsBytes}, found on first use: a
   * new mapper with its modules is itself a cost, and the tree rarely needs one. UTF-8 bytes, which the
   * agent's parser reads as they are, where a string would be built and then copied into characters again.
   */
  private static final class Mapper implements StainlessTree.Mapper {
    private final String objectMappersClass;
    private final ClassLoader loader;
    private Object jsonMapper;
    private Method writeValueAsBytes;

    Mapper(String objectMappersClass, ClassLoader loader) {
      this.objectMappersClass = objectMappersClass;
      this.loader = loader;
    }

    @Override
    public Object tree(Object sdkValue) throws Exception {
      if (jsonMapper == null) {
        Class<?> objectMappers = Class.forName(objectMappersClass, false, loader);
        jsonMapper = objectMappers.getMethod("jsonMapper").invoke(null);
        writeValueAsBytes = jsonMapper.getClass().getMethod("writeValueAsBytes", Object.class);
      }
      return Json.parse((byte[]) writeValueAsBytes.invoke(jsonMapper, sdkValue));
    }
  }
}
