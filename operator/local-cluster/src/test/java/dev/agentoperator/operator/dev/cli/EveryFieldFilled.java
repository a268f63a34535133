package dev.agentoperator.operator.dev.cli;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Instances of the resource model's records with every field set, reached by reflection so that a
 * field added tomorrow is filled too: a copy that drops it then shows as a difference.
 */
final class EveryFieldFilled {

  private int counter;

  /** A {@code type} whose record components, nested records and list elements are all set. */
  static <T> T of(Class<T> type) {
    return type.cast(new EveryFieldFilled().value(type, "spec"));
  }

  /** Paths of the record components under {@code value} that are null; empty when all are set. */
  static List<String> nullFields(Object value) {
    List<String> paths = new ArrayList<>();
    collectNulls(value, "spec", paths);
    return paths;
  }

  private Object value(Type type, String path) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        return List.of(value(args[0], path + "[0]"));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return Map.of(value(args[0], path + ".key"), value(args[1], path + ".value"));
      }
      throw new IllegalArgumentException(path + ": no value for " + type);
    }
    Class<?> c = (Class<?>) type;
    counter++;
    if (c == String.class) {
      return path + "-" + counter;
    }
    if (c == Boolean.class || c == boolean.class) {
      return Boolean.TRUE;
    }
    if (c == Integer.class || c == int.class) {
      return counter;
    }
    if (c == Long.class || c == long.class) {
      return (long) counter;
    }
    if (c == Double.class || c == double.class) {
      return counter + 0.5;
    }
    if (c.isEnum()) {
      // the first constant: ModelProvider.openai, the provider the model overrides act on
      return c.getEnumConstants()[0];
    }
    if (c.isRecord()) {
      return record(c, path);
    }
    try {
      // Fabric8's own model types (EnvVar, Toleration, ...): present is what a copy must keep
      return c.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(path + ": cannot make a " + c.getName(), e);
    }
  }

  private Object record(Class<?> c, String path) {
    RecordComponent[] components = c.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      args[i] = value(components[i].getGenericType(), path + "." + components[i].getName());
      types[i] = components[i].getType();
    }
    try {
      return c.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(path + ": cannot make a " + c.getName(), e);
    }
  }

  private static void collectNulls(Object value, String path, List<String> paths) {
    if (value == null) {
      paths.add(path);
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        collectNulls(list.get(i), path + "[" + i + "]", paths);
      }
    } else if (value.getClass().isRecord()) {
      for (RecordComponent component : value.getClass().getRecordComponents()) {
        try {
          collectNulls(
              component.getAccessor().invoke(value), path + "." + component.getName(), paths);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
