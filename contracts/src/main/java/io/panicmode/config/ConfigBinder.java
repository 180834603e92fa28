package io.panicmode.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds a parsed YAML tree onto the config records. YAML keys are the snake_case form of the
 * record components. Collects every error with its key path instead of stopping at the first;
 * unknown keys are errors with a did-you-mean hint.
 */
final class ConfigBinder {
  private final List<ConfigError> errors = new ArrayList<>();
  private final java.util.Set<String> failed = new java.util.HashSet<>();

  List<ConfigError> errors() { return errors; }

  /**
   * True when {@code path} is, or lies under, a key that failed to bind: the value there is a
   * stand-in, so checks on it would only repeat the error already reported.
   */
  boolean underFailedKey(String path) {
    for (String f : failed) {
      if (path.equals(f) || path.startsWith(f + ".") || path.startsWith(f + "[")) return true;
    }
    return false;
  }

  /**
   * Binds a record. A key that fails is reported and replaced by a neutral stand-in, so that the
   * rest of the file is still bound and checked and every error is reported in one pass.
   */
  @SuppressWarnings("unchecked")
  <T> T bindRecord(Class<T> type, Object raw, String path) {
    Map<String, Object> map = asMap(raw);
    if (map == null) {
      fail(path.isEmpty() ? "(root)" : path, "expected a mapping, got " + describe(raw, false));
      map = Map.of();
    }
    RecordComponent[] comps = type.getRecordComponents();
    Map<String, RecordComponent> byKey = new LinkedHashMap<>();
    for (RecordComponent c : comps) byKey.put(snake(c.getName()), c);
    for (String key : map.keySet()) {
      if (!byKey.containsKey(key)) {
        String hint = DidYouMean.suggest(key, byKey.keySet());
        errors.add(new ConfigError(join(path, key), "unknown key" + (hint == null ? "" : " (did you mean \"" + hint + "\"?)")));
      }
    }
    Object[] args = new Object[comps.length];
    for (int i = 0; i < comps.length; i++) {
      RecordComponent c = comps[i];
      String key = snake(c.getName());
      String p = join(path, key);
      Object value = map.get(key);
      if (value == null) {
        if (c.isAnnotationPresent(Required.class)) {
          fail(p, "required key is missing");
          args[i] = neutral(c.getGenericType());
          continue;
        }
        Default d = c.getAnnotation(Default.class);
        if (d != null) {
          value = parseDefault(d.value());
        } else {
          args[i] = null;
          continue;
        }
      }
      Object bound = bindValue(c.getGenericType(), value, p, c.isAnnotationPresent(Secret.class));
      args[i] = bound != null ? bound : neutral(c.getGenericType());
    }
    try {
      Constructor<T> ctor = type.getDeclaredConstructor(
          java.util.Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new));
      return ctor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      fail(path.isEmpty() ? "(root)" : path, cause.getMessage());
      return null;
    }
  }

  /** The stand-in for a key that failed: its default if it has one, else zero, empty or the first constant. */
  private Object neutral(Type type) {
    Class<?> cls = rawClass(type);
    if (cls == boolean.class || cls == Boolean.class) return false;
    if (cls == int.class || cls == Integer.class) return 0;
    if (cls == long.class || cls == Long.class) return 0L;
    if (cls == double.class || cls == Double.class) return 0.0;
    if (cls == String.class) return "";
    if (cls == Duration.class) return Duration.ZERO;
    if (cls.isEnum()) return cls.getEnumConstants()[0];
    if (cls == List.class) return List.of();
    if (cls == Map.class) return Map.of();
    if (cls.isRecord()) return new ConfigBinder().bindRecord(cls, Map.of(), "");
    return null;
  }

  private Object bindValue(Type type, Object raw, String path, boolean secret) {
    Class<?> cls = rawClass(type);
    if (cls == String.class) {
      if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) return String.valueOf(raw);
      return fail(path, "expected a string, got " + describe(raw, secret));
    }
    if (cls == boolean.class || cls == Boolean.class) {
      if (raw instanceof Boolean b) return b;
      return fail(path, "expected true or false, got " + describe(raw, secret));
    }
    if (cls == int.class || cls == Integer.class || cls == long.class || cls == Long.class) {
      if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue())) {
        long l = n.longValue();
        if (cls == int.class || cls == Integer.class) {
          if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) return fail(path, "out of range: " + l);
          return (int) l;
        }
        return l;
      }
      return fail(path, "expected a whole number, got " + describe(raw, secret));
    }
    if (cls == double.class || cls == Double.class) {
      if (raw instanceof Number n && Double.isFinite(n.doubleValue())) return n.doubleValue();
      return fail(path, "expected a number, got " + describe(raw, secret));
    }
    if (cls == Duration.class) {
      try {
        if (raw instanceof Number n) {
          if (n.doubleValue() < 0) return fail(path, "must not be negative, got " + n);
          return inRange(path, Duration.ofMillis(Math.round(Math.min(n.doubleValue(), 1e15) * 1000)));
        }
        if (raw instanceof String s) return inRange(path, Durations.parse(s));
      } catch (IllegalArgumentException | ArithmeticException e) {
        return fail(path, e.getMessage());
      }
      return fail(path, "expected a duration such as \"5s\", got " + describe(raw, secret));
    }
    if (cls.isEnum()) {
      if (raw instanceof String s) {
        List<String> names = new ArrayList<>();
        for (Object constant : cls.getEnumConstants()) {
          String wire = ((Enum<?>) constant).name().toLowerCase(Locale.ROOT);
          names.add(wire);
          if (wire.equals(s)) return constant;
        }
        String hint = DidYouMean.suggest(s, names);
        return fail(path, "unknown value \"" + s + "\"" + (hint == null ? "" : " (did you mean \"" + hint + "\"?)")
            + "; expected one of " + String.join(", ", names));
      }
      return fail(path, "expected a string, got " + describe(raw, secret));
    }
    if (cls == List.class) {
      List<Object> list = asList(raw);
      if (list == null) return fail(path, "expected a list, got " + describe(raw, secret));
      Type elem = ((ParameterizedType) type).getActualTypeArguments()[0];
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Object v = list.get(i);
        Object b = v == null ? fail(path + "[" + i + "]", "must not be empty")
            : bindValue(elem, v, path + "[" + i + "]", secret);
        out.add(b != null ? b : neutral(elem));
      }
      return List.copyOf(out);
    }
    if (cls == Map.class) {
      Map<String, Object> map = asMap(raw);
      if (map == null) return fail(path, "expected a mapping, got " + describe(raw, secret));
      Type valueType = ((ParameterizedType) type).getActualTypeArguments()[1];
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : map.entrySet()) {
        String p = join(path, e.getKey());
        Object b = e.getValue() == null ? fail(p, "must not be empty") : bindValue(valueType, e.getValue(), p, secret);
        out.put(e.getKey(), b != null ? b : neutral(valueType));
      }
      return java.util.Collections.unmodifiableMap(out);
    }
    if (cls.isRecord()) {
      return bindRecord(cls, raw, path);
    }
    return fail(path, "unsupported config type " + cls.getSimpleName());
  }

  /** Every duration of the config, whatever it times, lies in one range: 0 to {@link Durations#MAX}. */
  private Object inRange(String path, Duration d) {
    if (d.isNegative() || d.compareTo(Durations.MAX) > 0) {
      return fail(path, "must be between 0s and " + Durations.format(Durations.MAX) + ", got " + Durations.format(d));
    }
    return d;
  }

  private Object fail(String path, String message) {
    errors.add(new ConfigError(path, message));
    failed.add(path);
    return null;
  }

  private static Object parseDefault(String text) {
    return StrictYaml.load(text);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object raw) {
    if (raw instanceof JsonObject j) return j.getMap();
    if (raw instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  static List<Object> asList(Object raw) {
    if (raw instanceof JsonArray a) return a.getList();
    if (raw instanceof List<?> l) return (List<Object>) l;
    return null;
  }

  private static Class<?> rawClass(Type t) {
    if (t instanceof Class<?> c) return c;
    if (t instanceof ParameterizedType p) return (Class<?>) p.getRawType();
    throw new IllegalStateException("unsupported type " + t);
  }

  static String snake(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 4);
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) sb.append('_').append(Character.toLowerCase(ch));
      else sb.append(ch);
    }
    return sb.toString();
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String describe(Object raw, boolean secret) {
    if (secret) return "<redacted>";
    if (raw == null) return "nothing";
    if (raw instanceof String s) return "\"" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "\"";
    if (raw instanceof Map || raw instanceof JsonObject) return "a mapping";
    if (raw instanceof List || raw instanceof JsonArray) return "a list";
    return String.valueOf(raw);
  }
}
