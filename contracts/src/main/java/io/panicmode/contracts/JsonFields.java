package io.panicmode.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reader for one JSON object of a known type: every field read is marked, and
 * {@link #done()} rejects fields that were never read. Every error names the type and the
 * field, e.g. {@code Incident.severity: expected string, got 3}.
 */
public final class JsonFields {
  private final JsonObject json;
  private final String type;
  private final Set<String> seen = new HashSet<>();

  private JsonFields(JsonObject json, String type) {
    if (json == null) throw new MessageFormatException(type + ": message is null");
    this.json = json;
    this.type = type;
  }

  public static JsonFields of(JsonObject json, String type) { return new JsonFields(json, type); }

  /** Reads {@code v} and rejects any version other than {@code expected}. */
  public JsonFields version(int expected) {
    int v = integer("v");
    if (v != expected) throw error("v", "unsupported schema version " + v + ", expected " + expected);
    return this;
  }

  public String str(String field) {
    Object o = require(field);
    if (!(o instanceof String s)) throw error(field, "expected string, got " + describe(o));
    return s;
  }

  public String optStr(String field) {
    Object o = optional(field);
    if (o == null) return null;
    if (!(o instanceof String s)) throw error(field, "expected string, got " + describe(o));
    return s;
  }

  public long lng(String field) {
    Object o = require(field);
    if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw error(field, "expected integer, got " + describe(o));
    }
    return n.longValue();
  }

  public Long optLng(String field) {
    if (optional(field) == null) return null;
    return lng(field);
  }

  public int integer(String field) {
    long l = lng(field);
    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) throw error(field, "out of range: " + l);
    return (int) l;
  }

  public double dbl(String field) {
    Object o = require(field);
    if (!(o instanceof Number n)) throw error(field, "expected number, got " + describe(o));
    return n.doubleValue();
  }

  public Double optDbl(String field) {
    if (optional(field) == null) return null;
    return dbl(field);
  }

  public boolean bool(String field) {
    Object o = require(field);
    if (!(o instanceof Boolean b)) throw error(field, "expected boolean, got " + describe(o));
    return b;
  }

  public JsonObject obj(String field) {
    Object o = require(field);
    if (!(o instanceof JsonObject j)) throw error(field, "expected object, got " + describe(o));
    return j;
  }

  public JsonObject optObj(String field) {
    Object o = optional(field);
    if (o == null) return null;
    if (!(o instanceof JsonObject j)) throw error(field, "expected object, got " + describe(o));
    return j;
  }

  public JsonArray arr(String field) {
    Object o = require(field);
    if (!(o instanceof JsonArray a)) throw error(field, "expected array, got " + describe(o));
    return a;
  }

  public List<String> strings(String field) {
    JsonArray a = arr(field);
    List<String> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      Object o = a.getValue(i);
      if (!(o instanceof String s)) throw error(field + "[" + i + "]", "expected string, got " + describe(o));
      out.add(s);
    }
    return List.copyOf(out);
  }

  public Map<String, Double> numberMap(String field) {
    JsonObject o = obj(field);
    Map<String, Double> out = new LinkedHashMap<>();
    for (String k : o.fieldNames()) {
      Object v = o.getValue(k);
      if (!(v instanceof Number n)) throw error(field + "." + k, "expected number, got " + describe(v));
      out.put(k, n.doubleValue());
    }
    return out;
  }

  public Map<String, String> stringMap(String field) {
    JsonObject o = obj(field);
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : o.fieldNames()) {
      Object v = o.getValue(k);
      if (!(v instanceof String s)) throw error(field + "." + k, "expected string, got " + describe(v));
      out.put(k, s);
    }
    return out;
  }

  /** Call last: rejects every field that was not read. */
  public void done() {
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(seen);
    if (!unknown.isEmpty()) {
      throw new MessageFormatException(type + ": unknown field(s) " + unknown);
    }
  }

  public MessageFormatException error(String field, String problem) {
    return new MessageFormatException(type + "." + field + ": " + problem);
  }

  private Object require(String field) {
    seen.add(field);
    if (!json.containsKey(field)) throw error(field, "missing");
    Object o = json.getValue(field);
    if (o == null) throw error(field, "must not be null");
    return o;
  }

  private Object optional(String field) {
    seen.add(field);
    return json.getValue(field);
  }

  private static String describe(Object o) {
    if (o == null) return "null";
    String s = String.valueOf(o);
    if (s.length() > 40) s = s.substring(0, 40) + "…";
    return o instanceof String ? "\"" + s + "\"" : s;
  }
}
