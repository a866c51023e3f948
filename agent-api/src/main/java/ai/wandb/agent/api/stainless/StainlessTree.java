package ai.wandb.agent.api.stainless;

import ai.wandb.agent.api.CapturedValues;
import java.lang.annotation.Annotation;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An SDK model object as the JSON tree its own mapper would write, read from the model's generated
 * structure instead of through the mapper: for every class the mapper had not serialized yet, Jackson
 * builds a bean serializer by introspection, which jackson-module-kotlin does with Kotlin reflection
 * (metadata parsing, per property); rendering an app's first call serialized dozens of classes the app
 * had only ever deserialized, ~0.5 s of exporter CPU (at load ~25) competing with the app's start.
 *
 * <p>Stainless generates one layout for every model (every model class of openai-java 1.1.0 and 4.101.0
 * and anthropic-java 2.0.0 and 3.14.0, surveyed):
 * a model has public {@code @JsonProperty("name")} getters returning a {@code JsonField} (or a
 * {@code JsonValue}) and an {@code @JsonAnyGetter} map of the rest; a union has one field per variant, one
 * set, plus {@code _json}, written by its nested {@code Serializer} as the set variant, else
 * {@code _json}; an enum or a map-typed object has a {@code @JsonValue} getter or field. What each class
 * is, and its getters, is found once per class, by plain reflection. A class of any other shape, and any
 * value that is not a plain JSON type (a byte array, an input stream), is written by the SDK's mapper, as
 * before. The tree is what {@link ai.wandb.agent.api.Json#parse} reads from the mapper's output: integers
 * that fit as {@code Integer}, others {@code Long}, fractions as {@code Double}, objects in the mapper's
 * property order.
 */
public final class StainlessTree {
  /** Writes a value the tree does not know with the SDK's mapper, read back as a tree. */
  public interface Mapper {
    Object tree(Object sdkValue) throws Exception;
  }

  /**
   * The SDK's Jackson, by name: built at run time, because the agent jar's shading rewrites every string
   * constant that starts with {@code com.fasterxml.jackson} to the agent's own relocated copy.
   */
  private static final String JACKSON = new StringBuilder("com.fasterxml").append(".jackson.").toString();
  private static final String JSON_PROPERTY = JACKSON + "annotation.JsonProperty";
  private static final String JSON_ANY_GETTER = JACKSON + "annotation.JsonAnyGetter";
  private static final String JSON_VALUE = JACKSON + "annotation.JsonValue";
  private static final String JSON_IGNORE = JACKSON + "annotation.JsonIgnore";
  private static final String JSON_CREATOR = JACKSON + "annotation.JsonCreator";
  private static final String JSON_SERIALIZE = JACKSON + "databind.annotation.JsonSerialize";

  private final String core;
  private final String root;
  /**
   * The SDK's {@code JsonMissing} class name, built once: concatenated per property, it was a quarter
   * of the bytes the exporter thread allocated under a web server's load (JFR allocation samples).
   */
  private final String missing;
  private final ClassValue<Shape> shapes = new ClassValue<Shape>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      return shape(type);
    }
  };

  public StainlessTree(StainlessSdk sdk) {
    this.core = sdk.name("core.");
    this.missing = core + "JsonMissing";
    this.root = sdk.root + ".";
  }

  /** The value as a JSON tree; {@code mapper} writes what this class does not know, with the SDK's mapper. */
  public Object tree(Object value, Mapper mapper) throws Exception {
    return tree(value, mapper, 0);
  }

  private Object tree(Object value, Mapper mapper, int depth) throws Exception {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      long number = ((Number) value).longValue();
      return number == (int) number ? Integer.valueOf((int) number) : (Object) Long.valueOf(number);
    }
    if (value instanceof Double || value instanceof Float) {
      // As Jackson writes them (a float by its own shortest text) and a parser reads them back.
      double number = value instanceof Float ? Double.parseDouble(value.toString()) : (Double) value;
      return Double.isNaN(number) || Double.isInfinite(number) ? String.valueOf(number) : (Object) number;
    }
    if (value instanceof BigInteger) {
      BigInteger number = (BigInteger) value;
      return number.bitLength() < 64 ? tree(Long.valueOf(number.longValue()), mapper, depth) : number;
    }
    if (value instanceof OffsetDateTime) {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format((OffsetDateTime) value);
    }
    Shape shape = shapes.get(value.getClass());
    boolean container = shape.kind == Kind.MODEL || shape.kind == Kind.JAVA_MAP || shape.kind == Kind.JAVA_LIST;
    if (container && depth >= CapturedValues.MAX_DEPTH) {
      return CapturedValues.TOO_DEEP;
    }
    switch (shape.kind) {
      case NULL:
        return null;
      case UNWRAP:
        return tree(shape.value(value), mapper, depth);
      case UNION:
        Object variant = shape.variant(value);
        return variant == AMBIGUOUS ? mapper.tree(value) : tree(variant, mapper, depth);
      case JAVA_LIST:
        List<Object> list = new ArrayList<Object>();
        for (Object element : (Collection<?>) value) {
          list.add(tree(element, mapper, depth + 1));
        }
        return list;
      case JAVA_MAP:
        Map<String, Object> map = new LinkedHashMap<String, Object>();
        return putAll((Map<?, ?>) value, map, mapper, depth) ? map : mapper.tree(value);
      case MODEL:
        Map<String, Object> object = new LinkedHashMap<String, Object>();
        for (int i = 0; i < shape.names.length; i++) {
          Object property = shape.getters[i].invoke(value);
          // The mapper leaves out what is absent (null, empty Optional) and JsonMissing (@ExcludeMissing).
          if (property instanceof Optional) {
            property = ((Optional<?>) property).orElse(null);
          }
          if (property != null && !isMissing(property)) {
            object.put(shape.names[i], tree(property, mapper, depth + 1));
          }
        }
        return shape.anyGetter == null || putAll((Map<?, ?>) shape.anyGetter.invoke(value), object, mapper, depth)
            ? object : mapper.tree(value);
      default:
        return mapper.tree(value);
    }
  }

  /**
   * The entries of a map onto {@code out}; false, with nothing added, for a map the mapper is left to
   * write: one with keys other than strings, or null or missing values, which its inclusion rules decide.
   */
  private boolean putAll(Map<?, ?> map, Map<String, Object> out, Mapper mapper, int depth) throws Exception {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String) || entry.getValue() == null || isMissing(entry.getValue())) {
        return false;
      }
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      out.put((String) entry.getKey(), tree(entry.getValue(), mapper, depth + 1));
    }
    return true;
  }

  private boolean isMissing(Object value) {
    return value.getClass().getName().equals(missing);
  }

  /** A union with more than one variant set, which no generated code makes; the mapper decides. */
  private static final Object AMBIGUOUS = new Object();

  private enum Kind { NULL, UNWRAP, UNION, MODEL, JAVA_MAP, JAVA_LIST, MAPPER }

  /** How one class is written: its kind and the members that hold its JSON. */
  private static final class Shape {
    final Kind kind;
    /** UNWRAP: the @JsonValue getter or field; UNION: the variants, then {@code _json}. */
    final AccessibleObject[] members;
    /** MODEL: property names and their getters, in the mapper's order, and the @JsonAnyGetter. */
    final String[] names;
    final Method[] getters;
    final Method anyGetter;

    Shape(Kind kind, AccessibleObject[] members, String[] names, Method[] getters, Method anyGetter) {
      this.kind = kind;
      this.members = members;
      this.names = names;
      this.getters = getters;
      this.anyGetter = anyGetter;
    }

    static Shape of(Kind kind) {
      return new Shape(kind, null, null, null, null);
    }

    Object value(Object target) throws Exception {
      AccessibleObject member = members[0];
      return member instanceof Method ? ((Method) member).invoke(target) : ((Field) member).get(target);
    }

    /** The union's set variant; else its {@code _json} (the last member), as its Serializer writes it. */
    Object variant(Object union) throws Exception {
      Object set = null;
      for (int i = 0; i < members.length - 1; i++) {
        Object variant = ((Field) members[i]).get(union);
        if (variant != null) {
          if (set != null) {
            return AMBIGUOUS;
          }
          set = variant;
        }
      }
      return set != null ? set : ((Field) members[members.length - 1]).get(union);
    }
  }

  private Shape shape(Class<?> type) {
    if (Map.class.isAssignableFrom(type)) {
      return Shape.of(Kind.JAVA_MAP);
    }
    if (Collection.class.isAssignableFrom(type)) {
      return Shape.of(Kind.JAVA_LIST);
    }
    String name = type.getName();
    try {
      if (name.equals(core + "JsonNull")) {
        return Shape.of(Kind.NULL);
      }
      if (name.equals(core + "KnownValue") || name.equals(core + "JsonString") || name.equals(core + "JsonNumber")
          || name.equals(core + "JsonBoolean")) {
        return unwrap(type.getMethod("value"));
      }
      if (name.equals(core + "JsonArray") || name.equals(core + "JsonObject")) {
        return unwrap(type.getMethod("values"));
      }
      if (!name.startsWith(root) || name.startsWith(core + "Json") || type.getSuperclass() != Object.class) {
        return Shape.of(Kind.MAPPER);
      }
      Annotation serialize = annotation(type.getAnnotations(), JSON_SERIALIZE);
      if (serialize != null) {
        return union(type, serialize);
      }
      for (Field field : type.getDeclaredFields()) {
        if (annotation(field.getAnnotations(), JSON_VALUE) != null) {
          return unwrap(field);
        }
        if (annotation(field.getAnnotations(), JSON_PROPERTY) != null) {
          return Shape.of(Kind.MAPPER);
        }
      }
      return model(type);
    } catch (Exception e) {
      return Shape.of(Kind.MAPPER);
    }
  }

  private static Shape unwrap(AccessibleObject member) {
    member.setAccessible(true);
    return new Shape(Kind.UNWRAP, new AccessibleObject[] {member}, null, null, null);
  }

  /** A union written by its own nested Serializer: its variant fields, then {@code _json}. */
  private static Shape union(Class<?> type, Annotation serialize) throws Exception {
    Object using = serialize.annotationType().getMethod("using").invoke(serialize);
    if (!(using instanceof Class) || !((Class<?>) using).getName().equals(type.getName() + "$Serializer")) {
      return Shape.of(Kind.MAPPER);
    }
    List<AccessibleObject> members = new ArrayList<AccessibleObject>();
    Field json = null;
    for (Field field : type.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive() || field.getName().contains("$")) {
        continue; // companions, the validated flag, lazy hash codes
      }
      field.setAccessible(true);
      if (field.getName().equals("_json")) {
        json = field;
      } else {
        members.add(field);
      }
    }
    if (json == null || members.isEmpty()) {
      return Shape.of(Kind.MAPPER);
    }
    members.add(json);
    return new Shape(Kind.UNION, members.toArray(new AccessibleObject[0]), null, null, null);
  }

  /**
   * A model's @JsonProperty getters in the mapper's order: those its @JsonCreator constructor takes first,
   * in that order (Jackson's SORT_CREATOR_PROPERTIES_FIRST), then the rest as the class declares them.
   */
  private static Shape model(Class<?> type) throws Exception {
    Map<String, Method> getters = new LinkedHashMap<String, Method>();
    Method anyGetter = null;
    for (Method method : type.getDeclaredMethods()) {
      Annotation[] annotations = method.getAnnotations();
      if (annotation(annotations, JSON_VALUE) != null) {
        // An enum's _value(): the whole object is that value, whatever else it has.
        return method.getParameterTypes().length == 0 ? unwrap(method) : Shape.of(Kind.MAPPER);
      }
      if (annotation(annotations, JSON_IGNORE) != null) {
        return Shape.of(Kind.MAPPER);
      }
      Annotation property = annotation(annotations, JSON_PROPERTY);
      boolean any = annotation(annotations, JSON_ANY_GETTER) != null;
      if ((property == null && !any) || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      if (method.getParameterTypes().length != 0) {
        if (any) {
          continue;
        }
        return Shape.of(Kind.MAPPER);
      }
      method.setAccessible(true);
      if (any) {
        if (anyGetter != null || !Map.class.isAssignableFrom(method.getReturnType())) {
          return Shape.of(Kind.MAPPER);
        }
        anyGetter = method;
        continue;
      }
      String name = (String) property.annotationType().getMethod("value").invoke(property);
      String access = String.valueOf(property.annotationType().getMethod("access").invoke(property));
      if (name.isEmpty() || !access.equals("AUTO") || getters.put(name, method) != null) {
        return Shape.of(Kind.MAPPER);
      }
    }
    if (getters.isEmpty() && anyGetter == null) {
      return Shape.of(Kind.MAPPER);
    }
    Map<String, Method> ordered = new LinkedHashMap<String, Method>();
    for (String name : creatorProperties(type)) {
      Method getter = getters.remove(name);
      if (getter != null) {
        ordered.put(name, getter);
      }
    }
    ordered.putAll(getters);
    return new Shape(Kind.MODEL, null, ordered.keySet().toArray(new String[0]),
        ordered.values().toArray(new Method[0]), anyGetter);
  }

  /** The @JsonProperty names of the parameters of the class's @JsonCreator constructor, in order. */
  private static List<String> creatorProperties(Class<?> type) throws Exception {
    List<String> names = new ArrayList<String>();
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      Annotation creator = annotation(constructor.getAnnotations(), JSON_CREATOR);
      if (creator == null
          || String.valueOf(creator.annotationType().getMethod("mode").invoke(creator)).equals("DISABLED")) {
        continue;
      }
      for (Annotation[] parameter : constructor.getParameterAnnotations()) {
        Annotation property = annotation(parameter, JSON_PROPERTY);
        if (property != null) {
          names.add((String) property.annotationType().getMethod("value").invoke(property));
        }
      }
    }
    return names;
  }

  private static Annotation annotation(Annotation[] annotations, String name) {
    for (Annotation annotation : annotations) {
      if (annotation.annotationType().getName().equals(name)) {
        return annotation;
      }
    }
    return null;
  }
}
